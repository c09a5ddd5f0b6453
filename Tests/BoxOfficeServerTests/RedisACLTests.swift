import BoxOfficeClient
import BoxOfficeServer
import BoxOfficeTesting
import Foundation
import Logging
import RedisClient
import Testing

/// A private redis-server on the shipped `systemd/boxoffice-redis.conf`, with the ACL file that
/// `systemd/install-redis-users` writes from `systemd/redis-users.acl.in`, passwords and all.
struct ACLRedis {
    let server: RedisServerProcess
    let scratch: URL
    let passwords: [String: String]

    static func start() async throws -> ACLRedis {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boxoffice-acl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let systemd = DaemonBinary.repository.appendingPathComponent("systemd")
        let installer = Process()
        installer.executableURL = systemd.appendingPathComponent("install-redis-users")
        installer.arguments = [systemd.appendingPathComponent("redis-users.acl.in").path, scratch.path]
        installer.standardOutput = FileHandle.nullDevice
        try installer.run()
        installer.waitUntilExit()
        try #require(installer.terminationStatus == 0, "install-redis-users failed")
        var passwords: [String: String] = [:]
        for user in ["boxofficed", "boxofficectl", "operator"] {
            let file = scratch.appendingPathComponent("redis-\(user).password")
            let text = try String(contentsOf: file, encoding: .utf8)
            passwords[user] = text.trimmingCharacters(in: .newlines)
            #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        }
        // The shipped config, but for its data folder (/var/lib/boxoffice-redis): the test server has its own.
        let shipped = try String(contentsOf: systemd.appendingPathComponent("boxoffice-redis.conf"), encoding: .utf8)
        let config = scratch.appendingPathComponent("redis.conf")
        try shipped.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("dir ") }
            .joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        let server = try await RedisServerProcess(
            configFile: config,
            arguments: [
                "--aclfile", scratch.appendingPathComponent("redis-users.acl").path, "--supervised", "no",
            ])
        return ACLRedis(server: server, scratch: scratch, passwords: passwords)
    }

    func url(_ user: String) -> RedisURL {
        RedisURL(host: "127.0.0.1", port: server.port, username: user, password: passwords[user])
    }

    func client(_ user: String) -> RedisClient {
        RedisClient(configuration: .init(url: url(user), connectTimeout: .milliseconds(500)))
    }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }
}

@Suite("Redis ACL users from the shipped template, on the shipped redis.conf", .timeLimit(.minutes(2)))
struct RedisACLTests {
    private static func isNoPerm(_ reply: RedisReply) -> Bool {
        reply.errorMessage?.hasPrefix("NOPERM") == true
    }

    @Test("boxofficed books seats over TCP with only its granted commands; operator reads the booking, writes nothing")
    func bookingAndOperator() async throws {
        let redis = try await ACLRedis.start()
        defer { redis.stop() }
        try await Harness.run("acl", redisURL: redis.url("boxofficed"), keyPrefix: "boxoffice") { harness in
            let buyer = try await harness.customer("acl_alice")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A1 A2")
            let seats = try await harness.seatStates(buyer)
            #expect(seats["A1"] == "SELECTED")
            try await harness.expectOK(buyer, "RELEASE A2")
            let paid = try await buyer.send("PAY tok_visa")
            #expect(paid.final.hasPrefix("OK BOOKED "), "\(paid.final)")
            let booking = try #require(paid.final.split(separator: " ").dropFirst(2).first)
            let bookingKey = "boxoffice:{show:1}:booking:\(booking)"
            #expect(try await buyer.send("BOOKINGS").final == "OK 1")
            #expect(try await harness.redisCommand("HGET", "boxoffice:{show:1}:sold", "A1") == .bulk(String(booking)))
            var logger = Logger(label: "test.acl")
            logger.logLevel = .critical
            let reconciler = Reconciler(services: harness.services, logger: logger)
            #expect(try await reconciler.sweep() == Reconciler.Report(), "the reconciler's reads are granted too")
            #expect(try await reconciler.repairIndex() == [], "and its SCAN for the index of shows")
            try await Self.operatorReadsOnly(redis, bookingKey: bookingKey)
        }
    }

    /// The operator reads the booking and the keyspace, and may write nothing.
    private static func operatorReadsOnly(_ redis: ACLRedis, bookingKey: String) async throws {
        let operatorClient = redis.client("operator")
        defer { operatorClient.close() }
        let booking = try await operatorClient.send(RedisCommand("HGETALL", bookingKey))
        #expect(booking.array?.count ?? 0 > 10, "operator reads a booking: \(booking)")
        let scan = try await operatorClient.send(RedisCommand("SCAN", "0", "MATCH", "boxoffice:*", "COUNT", "1000"))
        #expect(scan.array?.count == 2)
        #expect(try await operatorClient.send(RedisCommand("PTTL", "boxoffice:theatre")).integer == -1)
        let writes = [
            RedisCommand("SET", "boxoffice:operator-was-here", "1"),
            RedisCommand("HSET", bookingKey, "seats", "Z9"),
            RedisCommand("DEL", bookingKey),
            RedisCommand("EVAL", "return redis.call('DEL', KEYS[1])", "1", bookingKey),
            RedisCommand("FLUSHALL"),
            RedisCommand("CONFIG", "SET", "appendonly", "no"),
            RedisCommand("KEYS", "*"),
        ]
        for command in writes {
            let reply = try await operatorClient.send(command)
            #expect(isNoPerm(reply), "operator may not \(command): \(reply)")
        }
        #expect(try await operatorClient.send(RedisCommand("HGET", bookingKey, "seats")) == .bulk("A1"))
    }

    @Test("The default user is off: without a login, or as default, nothing runs")
    func defaultUserOff() async throws {
        let redis = try await ACLRedis.start()
        defer { redis.stop() }
        let anonymous = RedisClient(
            configuration: .init(url: RedisURL(host: "127.0.0.1", port: redis.server.port)))
        defer { anonymous.close() }
        do {
            _ = try await anonymous.send(RedisCommand("PING"))
            Issue.record("an anonymous client ran PING")
        } catch {
            #expect(error.isSetupRejected && error.description.contains("NOAUTH"), "\(error)")
        }
        let asDefault = RedisClient(
            configuration: .init(
                url: RedisURL(host: "127.0.0.1", port: redis.server.port, username: "default", password: "")))
        defer { asDefault.close() }
        await #expect(throws: RedisError.self) { try await asDefault.send(RedisCommand("GET", "boxoffice:theatre")) }
    }

    @Test(
        "boxofficed and boxofficectl write boxoffice:* keys with BoxOffice's commands only",
        arguments: ["boxofficed", "boxofficectl"])
    func writersConfined(user: String) async throws {
        let redis = try await ACLRedis.start()
        defer { redis.stop() }
        let client = redis.client(user)
        defer { client.close() }
        #expect(try await client.send(RedisCommand("HSET", "boxoffice:acl-test", "a", "1")) == .integer(1))
        #expect(try await client.send(RedisCommand("XADD", "boxoffice:audit", "*", "event", "test")).string != nil)
        #expect(try await client.send(RedisCommand("XLEN", "boxoffice:audit")) == .integer(1))
        #expect(try await client.send(RedisCommand("PUBLISH", "boxoffice:seats:1", "A1 SOLD")).integer == 0)
        #expect(try await client.send(RedisCommand("SCRIPT", "LOAD", "return 1")).string?.count == 40)
        let refused = [
            RedisCommand("HSET", "elsewhere", "a", "1"),
            RedisCommand("GET", "other:key"),
            RedisCommand("PUBLISH", "elsewhere", "x"),
            RedisCommand("FLUSHALL"),
            RedisCommand("FLUSHDB"),
            RedisCommand("KEYS", "*"),
            RedisCommand("CONFIG", "GET", "*"),
            RedisCommand("ACL", "LIST"),
            RedisCommand("SHUTDOWN", "NOSAVE"),
            RedisCommand("SCRIPT", "FLUSH"),
        ]
        for command in refused {
            let reply = try await client.send(command)
            #expect(Self.isNoPerm(reply), "\(user) may not \(command): \(reply)")
        }
        let script = try await client.send(RedisCommand("EVAL", "return redis.call('SET', KEYS[1], 1)", "1", "other"))
        #expect(script.errorMessage != nil, "a script runs with its caller's permissions: \(script)")
    }
}
