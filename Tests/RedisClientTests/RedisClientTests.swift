import BoxOfficeTesting
import Glibc
import NIOCore
import RedisClient
import Testing

@Suite("Redis client against a real redis-server", .timeLimit(.minutes(2)))
struct RedisClientTests {
    private func client() throws -> RedisClient {
        let url = try #require(TestRedis.url, "run the tests with `make test` (BOXOFFICE_TEST_REDIS_URL)")
        return RedisClient(configuration: .init(url: url))
    }

    @Test("Commands and pipelines get their replies in order, of every RESP type")
    func pipeline() async throws {
        let redis = try client()
        defer { redis.close() }
        let key = TestRedis.uniquePrefix("client") + ":list"
        let replies = try await redis.send([
            RedisCommand("RPUSH", key, "a", "b c", "ünïcode"),
            RedisCommand("LRANGE", key, "0", "-1"),
            RedisCommand("GET", key + ":missing"),
            RedisCommand("PING"),
            RedisCommand("INCRBY", key, "1"),
            RedisCommand("DEL", key),
        ])
        #expect(replies[0] == .integer(3))
        #expect(replies[1] == .array([.bulk("a"), .bulk("b c"), .bulk("ünïcode")]))
        #expect(replies[2] == .null)
        #expect(replies[3] == .status("PONG"))
        #expect(replies[4].errorMessage?.hasPrefix("WRONGTYPE") == true, "an error reply is data, not a thrown error")
        #expect(replies[5] == .integer(1))
    }

    @Test("Many tasks share one connection; every caller gets its own reply")
    func concurrentCallers() async throws {
        let redis = try client()
        defer { redis.close() }
        let prefix = TestRedis.uniquePrefix("concurrent")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let key = "\(prefix):\(index)"
                    let replies = try await redis.send([
                        RedisCommand("SET", key, String(index)), RedisCommand("GET", key),
                    ])
                    #expect(replies == [.status("OK"), .bulk(String(index))])
                }
            }
            try await group.waitForAll()
        }
        await TestRedis.deleteKeys(prefix: prefix, using: redis)
    }

    @Test("Scripts run by SHA-1; an unknown script is sent again with its source")
    func scripts() async throws {
        let redis = try client()
        defer { redis.close() }
        let script = RedisScript(name: "echo", source: "return {KEYS[1], ARGV[1], '\(UInt32.random(in: 0 ... .max))'}")
        let loaded = try await redis.send(RedisCommand("SCRIPT", "LOAD", script.source))
        #expect(loaded.string == script.sha1, "our SHA-1 matches Redis's")
        _ = try await redis.send(RedisCommand("SCRIPT", "FLUSH"))
        let reply = try await redis.send(.evaluate(script, keys: ["k"], arguments: ["v"]))
        #expect(reply.array?.prefix(2).map(\.string) == ["k", "v"])
    }

    /// A client with short timeouts (300 ms to connect, 500 ms a command), already talking to `server`.
    private func impatientClient(of server: RedisServerProcess) async throws -> RedisClient {
        let redis = RedisClient(
            configuration: .init(
                url: server.url, connectTimeout: .milliseconds(300), commandTimeout: .milliseconds(500)))
        try await expectAnswers(redis)
        return redis
    }

    /// Expects `redis` to answer PING within five tries: on a loaded machine a server just started, restarted or
    /// resumed may take longer than an impatient client's timeouts to accept and answer its first connection.
    private func expectAnswers(_ redis: RedisClient) async throws {
        for _ in 0..<4 {
            if let reply = try? await redis.send(RedisCommand("PING")) {
                #expect(reply == .status("PONG"))
                return
            }
        }
        #expect(try await redis.send(RedisCommand("PING")) == .status("PONG"))
    }

    @Test("An unreachable Redis fails fast with a RedisError; the client recovers when it is back")
    func unreachable() async throws {
        let server = try await RedisServerProcess()
        defer { server.stop() }
        let redis = try await impatientClient(of: server)
        defer { redis.close() }
        server.kill()
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("PING")) }
        }
        #expect(elapsed < .seconds(2))
        try await server.start()
        try await expectAnswers(redis)
    }

    @Test("A frozen Redis (SIGSTOP) is given up after the command timeout, and used again once it resumes")
    func frozen() async throws {
        let server = try await RedisServerProcess()
        defer { server.stop() }
        let redis = try await impatientClient(of: server)
        defer { redis.close() }
        server.send(SIGSTOP)
        let clock = ContinuousClock()
        for _ in 0..<2 {  // the in-flight connection times out, then a fresh one cannot be set up
            let elapsed = await clock.measure {
                await #expect(throws: RedisError.connectionLost) { try await redis.send(RedisCommand("PING")) }
            }
            #expect(elapsed < .seconds(4), "the 500 ms timeout, with room for a loaded machine")
        }
        server.send(SIGCONT)
        try await expectAnswers(redis)
    }

    @Test("AUTH and SELECT come from the URL")
    func authentication() async throws {
        let server = try await RedisServerProcess()
        defer { server.stop() }
        let admin = RedisClient(configuration: .init(url: server.url))
        defer { admin.close() }
        _ = try await admin.send(RedisCommand("ACL", "SETUSER", "kiosk", "on", ">pa:ss@word", "~*", "+@all"))
        _ = try await admin.send(RedisCommand("SELECT", "3"))

        var url = server.url
        url.username = "kiosk"
        url.password = "pa:ss@word"
        url.database = 3
        let redis = RedisClient(configuration: .init(url: url))
        defer { redis.close() }
        _ = try await redis.send(RedisCommand("SET", "where", "db3"))
        #expect(try await redis.send(RedisCommand("ACL", "WHOAMI")) == .bulk("kiosk"))

        url.password = "wrong"
        let refused = RedisClient(configuration: .init(url: url))
        defer { refused.close() }
        await #expect(throws: RedisError.self) { try await refused.send(RedisCommand("PING")) }
    }
}

@Suite("Redis URLs")
struct RedisURLTests {
    @Test(
        "Parses host, port, database, user and password",
        arguments: [
            ("redis://127.0.0.1:6379/0", RedisURL(host: "127.0.0.1", port: 6379, database: 0)),
            ("redis://localhost", RedisURL(host: "localhost")),
            (
                "redis://:secret@redis.local:6380/2",
                RedisURL(host: "redis.local", port: 6380, database: 2, password: "secret")
            ),
            (
                "redis://daemon:s%40cret@10.0.0.1/1",
                RedisURL(host: "10.0.0.1", database: 1, username: "daemon", password: "s@cret")
            ),
            ("redis://boxofficed@127.0.0.1:6380/0", RedisURL(host: "127.0.0.1", port: 6380, username: "boxofficed")),
        ])
    func parses(text: String, expected: RedisURL) {
        #expect(RedisURL(text) == expected)
    }

    @Test(
        "Refuses what is not such a URL",
        arguments: [
            "http://x", "redis://", "redis://h:0", "redis://h:99999",
            "redis://h/16", "redis://h/x", "redis://:%zz@h", "redis://@h",
        ])
    func refuses(text: String) {
        #expect(RedisURL(text) == nil)
    }

    @Test("Never prints the password")
    func redacted() {
        #expect(RedisURL("redis://daemon:hunter2@h:1/0")!.description == "redis://daemon:***@h:1/0")
        #expect(!RedisURL("redis://:hunter2@h")!.description.contains("hunter2"))
    }
}
