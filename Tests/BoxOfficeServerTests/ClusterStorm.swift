import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import Logging
import RedisClient
import Synchronization
import Testing

/// A storm of kiosks on several daemons over one Redis Cluster: each kiosk logs a customer in, then again and again
/// starts a session on one of a few shows, reads the seats, holds one to three free ones (the front rows are where
/// everyone looks, so kiosks collide) and pays for them, or closes. A kiosk whose daemon goes away moves to the next.
/// It records what kiosks were told, for ``InvariantChecker``.
final class ClusterStorm: Sendable {
    /// What the storm's kiosks were told.
    struct Outcome: Sendable {
        /// Every `OK BOOKED`: booking, show, seats.
        var booked: [(booking: String, show: String, seats: [String])] = []
        /// PAYs answered `ERR UNAVAILABLE` (their outcome is settled later) or cut off by a lost connection.
        var inDoubt = 0
        /// Requests answered, in all.
        var requests = 0
    }

    private let daemons: [LimitedDaemon]
    private let shows: [String]
    private let outcome = Mutex(Outcome())

    init(daemons: [LimitedDaemon], shows: [String]) {
        self.daemons = daemons
        self.shows = shows
    }

    /// Runs `kiosks` kiosks until `duration` has passed, spread over the daemons.
    func run(kiosks: Int, for duration: Duration) async -> Outcome {
        let deadline = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<kiosks {
                group.addTask { await self.kiosk(index, until: deadline) }
            }
        }
        return outcome.withLock { $0 }
    }

    private func connect(_ index: Int, attempt: Int, name: String) async -> KioskClient? {
        let daemon = daemons[(index + attempt) % daemons.count]
        guard let client = try? await KioskClient.connect(port: daemon.port),
            (try? await client.send("KIOSK demo demo-secret-not-for-production"))?.isOK == true
        else { return nil }
        _ = try? await client.send("REGISTER \(name) password123")
        guard (try? await client.send("LOGIN \(name) password123"))?.isOK == true else { return nil }
        return client
    }

    private func kiosk(_ index: Int, until deadline: ContinuousClock.Instant) async {
        let name = "storm\(index)"
        var attempt = 0
        var client: KioskClient?
        while ContinuousClock.now < deadline {
            guard let current = client else {
                client = await connect(index, attempt: attempt, name: name)
                attempt += 1
                if client == nil { try? await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            do {
                try await purchase(on: current)
            } catch {
                // The daemon went away (or the connection did): the next daemon, as a kiosk would.
                attempt += 1
                client = nil
            }
        }
        _ = try? await client?.send("QUIT")
    }

    private func purchase(on client: KioskClient) async throws {
        let show = shows.randomElement()!
        let started = try await client.send("START \(show)")
        count()
        guard started.isOK else { return }
        let seats = try await client.send("SEATS")
        count()
        let free = seats.data.compactMap { line -> String? in
            let parts = line.split(separator: " ")
            return parts.count == 4 && parts[2] == "AVAILABLE" ? String(parts[1]) : nil
        }
        let wanted = Array(free.prefix(12).shuffled().prefix(Int.random(in: 1...3)))
        guard !wanted.isEmpty, try await client.send("HOLD " + wanted.joined(separator: " ")).isOK else {
            _ = try await client.send("CLOSE")
            return
        }
        count()
        guard Int.random(in: 0..<4) > 0 else {
            _ = try await client.send("CLOSE")
            return
        }
        let paid: KioskClient.Reply
        do {
            paid = try await client.send("PAY tok_visa")
        } catch {
            outcome.withLock { $0.inDoubt += 1 }
            throw error
        }
        count()
        let words = paid.final.split(separator: " ")
        if paid.final.hasPrefix("OK BOOKED "), words.count >= 5 {
            let record = (booking: String(words[2]), show: String(words[3]), seats: words[4...].map(String.init))
            outcome.withLock { $0.booked.append(record) }
        } else if paid.final.hasPrefix("ERR UNAVAILABLE") {
            outcome.withLock { $0.inDoubt += 1 }
        } else if !paid.isOK {
            _ = try await client.send("CLOSE")
        }
    }

    private func count() {
        outcome.withLock { $0.requests += 1 }
    }

    // MARK: After the storm

    /// Settles what the storm left (payments in flight when a daemon or a node died, bookings that waited for a
    /// replica) with a reconciler over `urls`, sweeping until nothing is left or `within` has passed; then checks
    /// the invariants.
    /// - Returns: the violations found, in words.
    static func settleAndCheck(
        urls: [RedisURL], shows: [String], outcome: Outcome, durability: Durability?, within: Duration = .seconds(60)
    ) async throws -> [String] {
        let redis = RedisClient(configuration: .init(urls: urls, retryBudget: .seconds(10)))
        defer { redis.close() }
        let services = BoxOfficeServices(
            redis: redis, keys: StoreKeys()!, profiles: [:], durability: durability)
        var logger = Logger(label: "test.storm")
        logger.logLevel = .critical
        let reconciler = Reconciler(services: services, logger: logger, expiryGrace: .zero)
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            let report = try? await reconciler.sweep()
            let unsettled = try await shows.asyncReduce(0) { total, show in
                total + (try await redis.send(RedisCommand("SCARD", "boxoffice:{show:\(show)}:paying")).integer ?? 0)
            }
            let open = try await shows.asyncReduce(0) { total, show in
                total + (try await redis.send(RedisCommand("ZCARD", "boxoffice:{show:\(show)}:open")).integer ?? 0)
            }
            if report?.pending == 0 && report?.failed == 0 && unsettled == 0 && open == 0 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return try await InvariantChecker(redis: redis, prefix: "boxoffice").check(
            shows: shows, confirmed: outcome.booked)
    }
}

extension Sequence {
    /// `reduce` with an asynchronous, throwing step.
    func asyncReduce<Result>(_ initial: Result, _ next: (Result, Element) async throws -> Result) async rethrows
        -> Result
    {
        var result = initial
        for element in self { result = try await next(result, element) }
        return result
    }
}
