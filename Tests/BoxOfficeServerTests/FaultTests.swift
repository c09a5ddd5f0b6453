import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeTesting
import Credentials
import Foundation
import NIOCore
import RedisClient
import Testing

@Suite("Faults: Redis restarts, Redis freezes, two daemons on one Redis", .timeLimit(.minutes(3)))
struct FaultTests {
    @Test("Redis killed and restarted: UNAVAILABLE in bounded time meanwhile, bookings survive from the AOF")
    func redisRestart() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.stop() }
        try await Harness.run("restart", redisURL: redis.url) { harness in
            let buyer = try await harness.customer("xena")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A1 A2")
            let booked = try await buyer.send("PAY tok_visa")
            #expect(booked.final.hasPrefix("OK BOOKED"))

            redis.kill()
            let other = try await harness.kiosk()
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await other.send("SEATS 1").final == "ERR UNAVAILABLE")
            #expect(try await buyer.send("START 1").final == "ERR UNAVAILABLE")
            #expect(clock.now - start < .seconds(5), "answers come in bounded time")
            #expect(try await other.send("PING").final == "OK PONG", "the daemon stays up")

            try await redis.start()
            let seats = try await harness.seatStates(other, show: "1")
            #expect(seats["A1"] == "PERMANENTLY_UNAVAILABLE" && seats["A2"] == "PERMANENTLY_UNAVAILABLE")
            let bookings = try await buyer.send("BOOKINGS")
            #expect(bookings.final == "OK 1")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A3")
        }
    }

    @Test("Redis frozen longer than the command timeout: bounded answers, consistent state once it resumes")
    func redisFrozen() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.stop() }
        try await Harness.run("frozen", redisURL: redis.url) { harness in
            let client = try await harness.customer("yuri")
            _ = try await harness.session(client)
            redis.send(SIGSTOP)
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await client.send("HOLD B1").final == "ERR UNAVAILABLE")
            #expect(clock.now - start < .seconds(4))
            redis.send(SIGCONT)
            // The HOLD may or may not have run inside Redis; whatever it did is consistent and visible. As a kiosk
            // would, try again while the daemon is still reconnecting (UNAVAILABLE).
            var hold = try await client.send("HOLD B1 B2")
            for _ in 0..<20 where hold.final == "ERR UNAVAILABLE" {
                try await Task.sleep(for: .milliseconds(200))
                hold = try await client.send("HOLD B1 B2")
            }
            #expect(hold.final.hasPrefix("OK HELD B1 B2 EXPIRES"))
            #expect(try await client.send("PAY tok_visa").final.hasPrefix("OK BOOKED"))
        }
    }
}

@Suite("boxofficed processes: two on one Redis, one killed during PAY", .timeLimit(.minutes(3)))
struct DaemonProcessTests {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Starts the built `boxofficed` with the demo theatre and waits until it accepts kiosks.
    private func startDaemon(
        redis: RedisURL, profiles: URL = repository.appendingPathComponent("kiosk-profiles"),
        environment: [String: String] = [:]
    ) async throws -> (Process, Int) {
        let binary = DaemonBinary.url
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let port = try await freeLoopbackPort()
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "--listen", "127.0.0.1:\(port)", "--redis", "redis://127.0.0.1:\(redis.port)/0",
            "--profiles", profiles.path, "--demo", "--log-level", "critical",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        for _ in 0..<100 {
            if let client = try? await KioskClient.connect(port: port) {
                await client.close()
                return (process, port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw ChannelError.connectTimeout(.seconds(5))
    }

    @Test("Kiosks on two daemons race for the same seats: each seat is sold once")
    func twoDaemons() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.stop() }
        let (first, firstPort) = try await startDaemon(redis: redis.url)
        let (second, secondPort) = try await startDaemon(redis: redis.url)
        defer {
            first.terminate()
            second.terminate()
        }
        var clients: [KioskClient] = []
        for index in 0..<6 {
            let client = try await KioskClient.connect(port: index % 2 == 0 ? firstPort : secondPort)
            #expect(try await client.send("KIOSK demo demo-secret-not-for-production").isOK)
            #expect(try await client.send("REGISTER twin\(index) password123").isOK)
            #expect(try await client.send("LOGIN twin\(index) password123").isOK)
            #expect(try await client.send("START 1").isOK)
            clients.append(client)
        }
        let holds = try await withThrowingTaskGroup(of: String.self) { group in
            for client in clients { group.addTask { try await client.send("HOLD E7 E8").final } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(holds.filter { $0.hasPrefix("OK HELD E7 E8") }.count == 1, "\(holds)")

        let purchases = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    _ = try await client.send("HOLD F\(index + 1) F\(index + 2)")
                    let final = try await client.send("PAY tok_visa").final
                    return final.hasPrefix("OK BOOKED") ? final.split(separator: " ").dropFirst(4).map(String.init) : []
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(purchases.count == Set(purchases).count, "a seat was sold twice: \(purchases)")
        #expect(Set(purchases).isSuperset(of: ["E7", "E8"]))
        let check = RedisClient(configuration: .init(url: redis.url))
        defer { check.close() }
        let sold = try await check.send(RedisCommand("HLEN", "boxoffice:{show:1}:sold"))
        #expect(sold.integer == purchases.count)
        let theatres = try await check.send(RedisCommand("HGET", "boxoffice:theatre", "shows"))
        let shows = try await check.send(RedisCommand("ZCARD", "boxoffice:shows"))
        #expect(theatres.integer == shows.integer, "the demo theatre was loaded once")

        // SIGTERM ends a daemon gracefully.
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }

    @Test("The daemon killed between authorization and confirmation: the payment is voided, the seats come free")
    func killedDuringPayment() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.stop() }
        let profiles = redis.directory.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try """
        id = "crash"
        secret_sha256 = "\(SecretDigest(of: "crash-secret").hex)"
        payment_grace_seconds = 25
        """.write(to: profiles.appendingPathComponent("crash.toml"), atomically: true, encoding: .utf8)

        let (doomed, doomedPort) = try await startDaemon(
            redis: redis.url, profiles: profiles, environment: ["BOXOFFICE_PAYSIM_LATENCY_MS": "4000"])
        let buyer = try await KioskClient.connect(port: doomedPort)
        for line in [
            "KIOSK crash crash-secret", "REGISTER victor password123", "LOGIN victor password123", "START 1",
            "HOLD D5 D6",
        ] {
            let reply = try await buyer.send(line)
            #expect(reply.isOK, "\(line) → \(reply.final)")
        }
        try await buyer.sendRaw(Array("PAY tok_visa\n".utf8))

        let check = RedisClient(configuration: .init(url: redis.url))
        defer { check.close() }
        func ledgerStates() async throws -> [String] {
            let keys = (try await check.send(RedisCommand("KEYS", "boxoffice:paysim:auth:*")).array ?? []).compactMap(
                \.string)
            var states: [String] = []
            for key in keys { states.append(try await check.send(RedisCommand("HGET", key, "state")).string ?? "") }
            return states
        }
        for _ in 0..<200 {  // up to 10 s: the daemon of its own shares two cores with every other suite
            if try await ledgerStates() == ["AUTHORIZED"] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await ledgerStates() == ["AUTHORIZED"], "the gateway authorized the payment")
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()

        let (survivor, survivorPort) = try await startDaemon(redis: redis.url, profiles: profiles)
        defer { survivor.terminate() }
        for _ in 0..<100 {  // the grace period (25 s), then the next sweep (every 15 s)
            if try await ledgerStates() == ["VOIDED"] { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(try await ledgerStates() == ["VOIDED"], "the reconciler voided the orphaned authorization")
        let watcher = try await KioskClient.connect(port: survivorPort)
        #expect(try await watcher.send("KIOSK crash crash-secret").isOK)
        let seats = try await watcher.send("SEATS 1")
        #expect(seats.data.contains("SEAT D5 AVAILABLE standard") && seats.data.contains("SEAT D6 AVAILABLE standard"))
        #expect(try await check.send(RedisCommand("HLEN", "boxoffice:{show:1}:sold")).integer == 0)
        #expect(try await check.send(RedisCommand("SCARD", "boxoffice:{show:1}:paying")).integer == 0)
    }
}
