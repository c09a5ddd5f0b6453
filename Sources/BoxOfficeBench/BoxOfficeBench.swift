import ArgumentParser
import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import BoxOfficeTesting
import Credentials
import Foundation
import Logging
import RedisClient

/// `boxoffice-bench`: the flash-sale benchmark. Many kiosks hammer a running `boxofficed`; the same hold script is
/// then run straight against Redis at the same concurrency; the figures, their ratio and the invariants are
/// reported.
@main
struct BoxOfficeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice-bench",
        abstract: "Flash-sale benchmark and invariant checker for boxofficed.")

    @Option(help: "The daemon, HOST:PORT.")
    var connect = "127.0.0.1:7420"

    @Option(
        help: """
            The daemon's Redis, or its cluster's seeds, comma-separated (for setting up shows and users, the raw rate, \
            and the invariant check).
            """)
    var redis = "redis://127.0.0.1:6379/0"

    @Option(help: "Kiosk connections, one simulated customer after another on each.")
    var kiosks = 64

    @Option(help: "Seconds of load (and as long again for the raw Redis rate).")
    var duration = 10

    @Option(help: "Seats in the centre of each show that half the customers go for.")
    var hotSeats = 24

    @Option(help: "Share of payments declined (0 to 1).")
    var declineRate = 0.2

    @Option(help: "Share of customers who pay rather than close (0 to 1).")
    var payRate = 0.1

    @Option(help: "Shows to spread the customers over (each 960 seats).")
    var shows = 4

    @Option(
        help: """
            flash-sale: customers START, SEATS, HOLD, then PAY or CLOSE; holds: each kiosk holds and releases \
            1-3 seats in one session, exactly like the raw Redis comparison; seats: each kiosk holds 4 seats, then \
            reads the seat map again and again.
            """)
    var mix = "flash-sale"

    @Option(help: "Write a JSON report to this file.")
    var json: String?

    @Option(help: "Write a latency plot (SVG) to this file.")
    var svg: String?

    @Option(help: "The kiosk id to log in as.")
    var kiosk = "demo"

    @Option(help: "The kiosk's secret (default: the demo kiosk's public secret).")
    var secret = "demo-secret-not-for-production"

    @Option(help: "The key prefix the daemon runs under.")
    var prefix = "boxoffice"

    @Flag(
        help: """
            Afterwards, remove the run's shows, customers, bookings and payments from Redis, so that the operator's \
            figures (boxofficectl stats, takings) count customers only.
            """)
    var cleanup = false

    @Option(
        help: """
            Identified kiosk connections to keep open and idle beside the busy ones: the daemon's memory is reported \
            before they open, with them open, and after they close (once it has had time to give memory back).
            """)
    var idle = 0

    func validate() throws {
        guard kiosks >= 1, kiosks <= 5000 else { throw ValidationError("--kiosks must be 1 to 5000") }
        guard duration >= 1 else { throw ValidationError("--duration must be at least 1") }
        guard (0...50_000).contains(idle) else { throw ValidationError("--idle must be 0 to 50000") }
        guard (0...1).contains(declineRate), (0...1).contains(payRate) else {
            throw ValidationError("--decline-rate and --pay-rate are shares from 0 to 1")
        }
        guard (1...100).contains(shows) else { throw ValidationError("--shows must be 1 to 100") }
        guard Mix(rawValue: mix) != nil else {
            throw ValidationError("--mix is flash-sale, holds or seats")
        }
        guard RedisURL.list(redis) != nil else { throw ValidationError("--redis must be a redis:// URL or a list") }
        guard StoreKeys(prefix: prefix) != nil else { throw ValidationError("--prefix must be 1-32 of a-z 0-9 _ . -") }
        guard connect.split(separator: ":").count == 2, Int(connect.split(separator: ":")[1]) != nil else {
            throw ValidationError("--connect must be HOST:PORT")
        }
    }

    func run() async throws {
        #if DEBUG
            FileHandle.standardError.write(
                Data(
                    """
                    boxoffice-bench: WARNING: this is a debug build, several times slower than a release build: its \
                    figures say nothing about BoxOffice. Build with swift build -c release.

                    """.utf8))
        #endif
        let urls = RedisURL.list(redis)!
        let keys = StoreKeys(prefix: prefix)!
        let redisClient = RedisClient(configuration: .init(urls: urls), logger: Self.quietLogger)
        defer { redisClient.close() }
        let run = RandomToken.hex(byteCount: 3)
        let outcome: Result<Void, any Error>
        do {
            try await measure(run: run, urls: urls, keys: keys, redisClient: redisClient)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        if cleanup {
            let removed = try await BenchCleanup(redis: redisClient, keys: keys, run: run).run()
            print("cleanup: removed the run's \(removed.shows) shows and its customers (\(removed.keys) keys)")
        } else {
            print(
                "the run's shows (bench-\(run)-*) and customers (bench\(run)-*) stay in Redis; --cleanup removes them")
        }
        try outcome.get()
    }

    /// The benchmark itself, with shows and customers tagged `run`.
    func measure(run: String, urls: [RedisURL], keys: StoreKeys, redisClient: RedisClient) async throws {
        let theatre = TheatreStore(redis: redisClient, keys: keys)
        let users = UserStore(redis: redisClient, keys: keys)
        let host = String(connect.split(separator: ":")[0])
        let port = Int(connect.split(separator: ":")[1])!

        // A screen of 24 rows of 40, and fresh shows on it starting tomorrow, so nothing sells out early.
        let screen = Screen(id: "bench", name: "Bench Hall", seatsPerRow: Array(repeating: 40, count: 24))
        let now = try await theatre.now()
        var showIDs: [String] = []
        for index in 0...shows {
            let id = ShowID("bench-\(run)-\(index)")!
            let show = Show(
                id: id, screenID: screen.id, movieID: "bench", title: "Benchmark Premiere \(index)",
                start: now.adding(seconds: 86_400), durationMinutes: 120,
                prices: PriceList(currency: "EUR", minorUnits: [.standard: 1200])!)
            _ = try await theatre.add(show, on: screen)
            showIDs.append(id.rawValue)
        }
        let rawShow = ShowID(showIDs.removeLast())!
        let hot = Set(
            (10...13).flatMap { row in (18...23).map { "\(SeatID.rowName(at: row)!)\($0)" } }.prefix(hotSeats))

        print("setting up \(kiosks) customers (one Argon2id login each) ...")
        let password = "bench-password"
        let hash = PasswordHasher.hash(password)
        for index in 0..<kiosks {
            _ = try await users.create(Username("bench\(run)-\(index)")!, passwordHash: hash, at: now)
        }
        // Every mix runs from the C load generator: one thread, a few µs of CPU a request, so that the bench does not
        // take the CPU it measures.
        let plans = (0..<kiosks).map { index in
            let login = (kiosk, secret, "bench\(run)-\(index)", password)
            switch Mix(rawValue: mix)! {
            case .flashSale:
                return LoadPlan.kioskFlashSale(
                    login: login, shows: showIDs, hotSeats: hot, payRate: payRate, declineRate: declineRate)
            case .holds: return LoadPlan.kioskHolds(login: login, shows: showIDs)
            case .seats: return LoadPlan.kioskSeats(login: login, shows: showIDs)
            }
        }
        let generator = try await LoadGenerator.open(host: host, port: port, kiosk: true, plans: plans)

        // The processes whose CPU each phase reports: the daemon and the Redis nodes if they run on this machine.
        var cpu = ProcessCPU(
            [ProcessCPU.Watched(name: "daemon", pid: ProcessCPU.pid(listeningOn: port))]
                + urls.enumerated().map { index, url in
                    ProcessCPU.Watched(
                        name: urls.count == 1 ? "Redis" : "Redis \(index + 1)",
                        pid: ["127.0.0.1", "localhost", "::1"].contains(url.host)
                            ? ProcessCPU.pid(listeningOn: url.port) : nil)
                } + [ProcessCPU.Watched(name: "bench", pid: getpid())])

        let idleConnections = try await IdleConnections.open(
            idle, host: host, port: port, kiosk: kiosk, secret: secret, daemon: cpu.watched.first?.pid)
        print("\(mix): \(kiosks) kiosks for \(duration) s on \(shows) shows, \(hot.count) hot seats each")
        cpu.start()
        let measured = try await generator.run(
            seconds: duration, expected: ["ERR SEATS_UNAVAILABLE", "ERR PAYMENT_FAILED"])
        var recorder = measured.recorder
        for line in measured.keptLines {
            // OK BOOKED <booking-id> <show-id> <seat-id> ...
            let words = line.split(separator: " ").map(String.init)
            guard words.count > 4, words[1] == "BOOKED" else { continue }
            recorder.bookings += 1
            recorder.seatsSold += words.count - 4
            recorder.confirmed.append((words[2], words[3], Array(words.dropFirst(4))))
        }
        let daemonPhase = cpu.stop()

        // SEATS is compared on the kiosks' own show while their seats are still held; HOLD on a show of its own.
        let compared: BenchCommand = mix == Mix.seats.rawValue ? .seats : .hold
        print(
            "raw Redis: the \(compared == .seats ? "SEATS reads" : "hold script") at concurrency \(kiosks) for \(duration) s ..."
        )
        cpu.start()
        let raw: RawRate
        if let url = urls.first, urls.count == 1 {
            // One Redis: the same commands from the load generator, as efficient a client as the kiosks'.
            let store = BookingStore(redis: redisClient, keys: keys)
            var plans: [LoadPlan] = []
            for index in 0..<kiosks {
                guard compared == .hold else {
                    plans.append(.rawSeats(store: store, url: url, show: ShowID(showIDs[0])!))
                    continue
                }
                let user = RawHoldBenchmark.customer(index)
                _ = try await users.create(user, passwordHash: "!", at: now)
                plans.append(
                    .rawHolds(
                        store: store, url: url, show: rawShow, seats: screen.seats.map(\.id), user: user,
                        sessionPrefix: RandomToken.hex(byteCount: 4)))
            }
            var scripts: [String: RedisScript] = [:]
            for script in plans.flatMap(\.scripts) { scripts[script.sha1] = script }
            for script in scripts.values {
                _ = try await redisClient.send(RedisCommand("SCRIPT", "LOAD", script.source))
            }
            let rawGenerator = try await LoadGenerator.open(host: url.host, port: url.port, kiosk: false, plans: plans)
            let measured = try await rawGenerator.run(seconds: duration, expected: ["SEATS_UNAVAILABLE"])
            await rawGenerator.finish()
            if let (error, count) = measured.recorder.errors.first {
                throw ValidationError("the raw comparison was refused \(count) times, first: \(error)")
            }
            let latencies = measured.recorder.latencies[compared]!
            raw = RawRate(operations: Int(latencies.totalCount), seconds: measured.seconds, latencies: latencies)
        } else {
            // A cluster: Redis clients that route by slot.
            raw =
                compared == .seats
                ? try await RawSeatsBenchmark(urls: urls, keys: keys, show: ShowID(showIDs[0])!, concurrency: kiosks)
                    .run(for: .seconds(duration))
                : try await RawHoldBenchmark(
                    urls: urls, keys: keys, show: rawShow, seats: screen.seats.map(\.id), concurrency: kiosks
                ).run(for: .seconds(duration))
        }
        let rawPhase = cpu.stop()
        await generator.finish()

        if let memory = await idleConnections.close() { print(memory) }

        let violations = try await InvariantChecker(redis: redisClient, prefix: keys.prefix)
            .check(shows: showIDs, confirmed: recorder.confirmed)
        let report = BenchReport(
            kiosks: kiosks, seconds: measured.seconds, recorder: recorder, compared: compared, raw: raw,
            daemonPhase: daemonPhase, rawPhase: rawPhase, violations: violations)
        print(report.text)
        if let json { try report.json.write(toFile: json, atomically: true, encoding: .utf8) }
        if let svg { try report.svg.write(toFile: svg, atomically: true, encoding: .utf8) }
        if !violations.isEmpty || !recorder.errors.isEmpty { throw ExitCode(1) }
    }

    /// A logger for the bench's Redis clients: warnings only, so a reconnect still shows.
    static var quietLogger: Logger {
        var logger = Logger(label: "boxoffice-bench.redis")
        logger.logLevel = .warning
        return logger
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// What each simulated customer does (`--mix`).
enum Mix: String {
    /// ``LoadPlan/kioskFlashSale(login:shows:hotSeats:payRate:declineRate:)``.
    case flashSale = "flash-sale"
    /// ``LoadPlan/kioskHolds(login:shows:)``.
    case holds
    /// ``LoadPlan/kioskSeats(login:shows:)``.
    case seats
}
