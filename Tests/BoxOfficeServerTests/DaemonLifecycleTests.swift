import BoxOfficeClient
import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// `boxofficed` as systemd runs it: a notification socket, a watchdog, its Redis password as a credential, the
/// production ACL; then SIGTERM.
@Suite("boxofficed under systemd's eyes: readiness, watchdog, credentials, SIGTERM", .timeLimit(.minutes(2)))
struct DaemonLifecycleTests {
    /// Starts the built daemon with the demo theatre on a free port.
    private func startDaemon(arguments: [String], environment: [String: String]) async throws -> (Process, Int) {
        let binary = DaemonBinary.url
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let port = try await freeLoopbackPort()
        let process = Process()
        process.executableURL = binary
        process.arguments =
            [
                "--listen", "127.0.0.1:\(port)", "--profiles",
                DaemonBinary.repository.appendingPathComponent("kiosk-profiles").path, "--log-level", "critical",
            ] + arguments
        var inherited = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "CREDENTIALS_DIRECTORY"] {
            inherited[name] = nil
        }
        process.environment = inherited.merging(environment) { $1 }
        try process.run()
        return (process, port)
    }

    private func waitForExit(_ process: Process, within timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !process.isRunning
    }

    @Test(
        "READY=1 once serving, WATCHDOG=1 pings; SIGTERM: STOPPING=1, the PAY in flight books, EVENT SHUTDOWN, exit 0")
    func sigterm() async throws {
        let redis = try await ACLRedis.start()
        defer { redis.stop() }
        let credentials = redis.scratch.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try (redis.passwords["boxofficed"]! + "\n").write(
            to: credentials.appendingPathComponent("redis-password"), atomically: true, encoding: .utf8)
        let notify = try NotifySocket(in: nil)
        let (daemon, port) = try await startDaemon(
            arguments: ["--redis", "redis://boxofficed@127.0.0.1:\(redis.server.port)/0", "--demo"],
            environment: [
                "NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "400000", "CREDENTIALS_DIRECTORY": credentials.path,
                "BOXOFFICE_PAYSIM_LATENCY_MS": "800",
            ])
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        let ready = await notify.waitFor("READY=1", within: .seconds(20))
        #expect(ready?.contains("STATUS=serving kiosks on 127.0.0.1:\(port)") == true, "\(ready ?? "no READY=1")")
        #expect(await notify.waitFor("WATCHDOG=1", within: .seconds(2)) != nil)

        let buyer = try await KioskClient.connect(port: port)
        var session = ""
        for line in [
            "KIOSK demo demo-secret-not-for-production", "REGISTER sigterm_sam password123",
            "LOGIN sigterm_sam password123", "START 1", "HOLD C3 C4",
        ] {
            let reply = try await buyer.send(line)
            #expect(reply.isOK, "\(line) → \(reply.final)")
            if line.hasPrefix("START") { session = String(reply.final.split(separator: " ")[2]) }
        }
        try await buyer.sendRaw(Array("PAY tok_visa\n".utf8))
        let operatorClient = redis.client("operator")
        defer { operatorClient.close() }
        try await ShutdownTests.waitUntilPaying("boxoffice:{show:1}:session:\(session)", using: operatorClient)

        kill(daemon.processIdentifier, SIGTERM)
        // Generous: the whole suite runs beside it on two cores.
        #expect(await notify.waitFor("STOPPING=1", within: .seconds(10)) != nil)
        let paid = try await buyer.readReply()
        #expect(paid.final.hasPrefix("OK BOOKED "), "\(paid.final)")
        #expect(try await buyer.nextLine() == "EVENT SHUTDOWN")
        #expect(try await buyer.nextLine() == nil)
        #expect(await waitForExit(daemon, within: .seconds(10)), "exits within the graceful shutdown bound")
        #expect(daemon.terminationStatus == 0)
        let booking = try #require(paid.final.split(separator: " ").dropFirst(2).first)
        let sold = try await operatorClient.send(RedisCommand("HGET", "boxoffice:{show:1}:sold", "C3"))
        #expect(sold == .bulk(String(booking)))
    }

    @Test("--redis-password-file logs in as the URL's user; a wrong password is a failed start, never READY=1")
    func passwordFile() async throws {
        let redis = try await ACLRedis.start()
        defer { redis.stop() }
        let url = "redis://boxofficed@127.0.0.1:\(redis.server.port)/0"
        let right = redis.scratch.appendingPathComponent("right.password")
        try (redis.passwords["boxofficed"]! + "\n").write(to: right, atomically: true, encoding: .utf8)
        let wrong = redis.scratch.appendingPathComponent("wrong.password")
        try "not-the-password\n".write(to: wrong, atomically: true, encoding: .utf8)

        let notify = try NotifySocket(in: nil)
        let (good, _) = try await startDaemon(
            arguments: ["--redis", url, "--redis-password-file", right.path],
            environment: ["NOTIFY_SOCKET": notify.name])
        defer { if good.isRunning { kill(good.processIdentifier, SIGKILL) } }
        #expect(await notify.waitFor("READY=1", within: .seconds(20)) != nil)
        kill(good.processIdentifier, SIGTERM)
        #expect(await waitForExit(good, within: .seconds(10)) && good.terminationStatus == 0)

        let refused = try NotifySocket(in: nil)
        let (bad, _) = try await startDaemon(
            arguments: ["--redis", url, "--redis-password-file", wrong.path],
            environment: ["NOTIFY_SOCKET": refused.name])
        defer { if bad.isRunning { kill(bad.processIdentifier, SIGKILL) } }
        #expect(await waitForExit(bad, within: .seconds(10)), "a refused login ends the daemon for systemd to see")
        #expect(bad.terminationStatus != 0)
        var messages: [String] = []
        while let message = await refused.receive(within: .milliseconds(100)) { messages.append(message) }
        #expect(!messages.contains { $0.contains("READY=1") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("STATUS=Redis refuses us") }, "\(messages)")

        let (noPassword, _) = try await startDaemon(arguments: ["--redis", url], environment: [:])
        defer { if noPassword.isRunning { kill(noPassword.processIdentifier, SIGKILL) } }
        #expect(await waitForExit(noPassword, within: .seconds(10)))
        #expect(noPassword.terminationStatus == 78, "a user without a password is a configuration error")
    }
}
