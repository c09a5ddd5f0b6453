import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// The client against a real Redis Cluster of three primaries and three replicas, started by the test itself.
@Suite("Redis Cluster: slot routing, redirections, scripts, SCAN, failover", .serialized, .timeLimit(.minutes(3)))
struct ClusterClientTests {
    private func client(_ cluster: RedisClusterProcess, seeds: Int = 1) -> RedisClient {
        RedisClient(configuration: .init(urls: Array(cluster.urls.prefix(seeds))))
    }

    @Test("The test Redis is a cluster exactly when the run says so (BOXOFFICE_TEST_CLUSTER)")
    func testRedisIsWhatTheRunSays() async throws {
        let urls = try #require(TestRedis.urls, "run the tests with `make test` (BOXOFFICE_TEST_REDIS_URL)")
        let redis = RedisClient(configuration: .init(urls: urls))
        defer { redis.close() }
        #expect(try await redis.isCluster() == (ProcessInfo.processInfo.environment["BOXOFFICE_TEST_CLUSTER"] == "1"))
    }

    @Test("CRC16 and hash tags give the slot Redis gives (CLUSTER KEYSLOT), for tagged and untagged keys")
    func slotsAgreeWithRedis() async throws {
        #expect(ClusterSlot.crc16(Array("123456789".utf8)) == 0x31C3, "the XMODEM check value")
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let keys =
            [
                "foo", "{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}",
                "{}", "{", "}", "boxoffice:{show:1}:hold:A1", "boxoffice:{show:1}:session:0123", "boxoffice:shows",
                "ünïcode{ключ}", "",
            ] + (0..<200).map { "key:\($0):\(UUID().uuidString)" }
        for key in keys {
            let redis = try await cluster.send(RedisCommand("CLUSTER", "KEYSLOT", key), to: cluster.ports[0]).integer
            #expect(ClusterSlot(key: key).number == redis, "\(key)")
        }
        #expect(ClusterSlot(key: "boxoffice:{show:1}:hold:A1") == ClusterSlot(key: "boxoffice:{show:1}:audit"))
    }

    @Test("One pipeline across every slot: each command on the primary serving its slot, replies in order")
    func routing() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = client(cluster)
        defer { redis.close() }
        #expect(try await redis.isCluster())
        let keys = (0..<300).map { "route:\($0)" }
        let written = try await redis.send(keys.map { RedisCommand("SET", $0, "value-\($0)") })
        #expect(written.allSatisfy { $0 == .status("OK") }, "\(written.filter { $0 != .status("OK") }.prefix(3))")
        let read = try await redis.send(keys.map { RedisCommand("GET", $0) })
        #expect(read == keys.map { .bulk("value-\($0)") })

        // Every key is where its slot's primary is, and every primary got some.
        var owners: Set<Int> = []
        for key in keys.prefix(40) {
            let owner = try #require(try await cluster.owner(of: ClusterSlot(key: key), asSeenBy: cluster.ports[0]))
            owners.insert(owner)
            let local = try await cluster.send(RedisCommand("EXISTS", key), to: owner)
            #expect(local == .integer(1), "\(key) on \(owner)")
        }
        #expect(owners.count == 3)

        // Keys of two slots in one command: Redis refuses it, the client passes the refusal on.
        let cross = try await redis.send(RedisCommand("MGET", "route:1", "route:2"))
        #expect(cross.errorMessage?.hasPrefix("CROSSSLOT") == true, "\(cross)")
    }

    @Test("Scripts run on every primary, each loading the script into its own cache (NOSCRIPT per node)")
    func scriptsPerNode() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = client(cluster)
        defer { redis.close() }
        let script = RedisScript(
            name: "pair", source: "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1]) return 1")
        let tags = (0..<30).map { "{tag\($0)}" }
        let replies = try await redis.send(
            tags.map { RedisCommand.evaluate(script, keys: ["\($0):a", "\($0):b"], arguments: [$0]) })
        #expect(replies.allSatisfy { $0 == .integer(1) }, "\(replies.prefix(3))")
        let check = try await redis.send(tags.map { RedisCommand("GET", "\($0):b") })
        #expect(check == tags.map { .bulk($0) })
    }

    @Test("A slot migrating: keys still on the source are read there, moved ones follow ASK, then MOVED")
    func migration() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = client(cluster)
        defer { redis.close() }
        let keys = (0..<20).map { "{migrating}:\($0)" }
        _ = try await redis.send(keys.map { RedisCommand("SET", $0, $0) })
        let slot = ClusterSlot(key: keys[0])
        let source = try #require(try await cluster.owner(of: slot, asSeenBy: cluster.ports[0]))
        let target = try #require(try await cluster.primaries().first { $0 != source })

        try await cluster.beginMigration(of: slot, from: source, to: target)
        #expect(try await cluster.moveKeys(of: slot, from: source, to: target, count: 10) == 10)
        // Half the keys are on the target now: reading all of them sends half with ASKING.
        #expect(try await redis.send(keys.map { RedisCommand("GET", $0) }) == keys.map { .bulk($0) })
        #expect(try await redis.send(RedisCommand("SET", "{migrating}:new", "x")) == .status("OK"))
        #expect(redis.redirections.asked >= 10, "\(redis.redirections)")

        // A script the target has never run (its cache emptied): NOSCRIPT there, and the source sent again, after
        // ASKING again, not to the source.
        _ = try await cluster.send(RedisCommand("SCRIPT", "FLUSH"), to: target)
        let script = RedisScript(name: "read", source: "return redis.call('GET', KEYS[1])")
        let evaluated = try await redis.send(keys.map { RedisCommand.evaluate(script, keys: [$0], arguments: []) })
        #expect(evaluated == keys.map { .bulk($0) }, "\(evaluated.prefix(3))")

        _ = try await cluster.moveKeys(of: slot, from: source, to: target)
        try await cluster.endMigration(of: slot, to: target)
        // The client still thinks the slot is on the source: MOVED takes it to the target.
        #expect(try await redis.send(keys.map { RedisCommand("GET", $0) }) == keys.map { .bulk($0) })
        #expect(try await cluster.send(RedisCommand("EXISTS", keys[19]), to: target) == .integer(1))
        #expect(redis.redirections.moved >= 1, "\(redis.redirections)")
    }

    @Test("SCAN visits every primary")
    func scanEveryPrimary() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = client(cluster)
        defer { redis.close() }
        let keys = (0..<100).map { "scan:\($0)" }
        _ = try await redis.send(keys.map { RedisCommand("SET", $0, "1") })
        #expect(try await redis.scan(matching: "scan:*") == keys.sorted())
    }

    @Test("A primary short of replicas (NOREPLICAS): the write waits within the retry budget, never runs twice")
    func primaryShortOfReplicas() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = RedisClient(configuration: .init(urls: cluster.urls, retryBudget: .seconds(2)))
        defer { redis.close() }
        let key = "{noreplicas}:counter"
        let primary = try #require(try await cluster.owner(of: ClusterSlot(key: key), asSeenBy: cluster.ports[0]))
        // It has one replica: asking for two refuses every write, as when its only replica is gone.
        _ = try await cluster.send(RedisCommand("CONFIG", "SET", "min-replicas-to-write", "2"), to: primary)
        await #expect(throws: RedisError.self, "refused past the retry budget: the caller hears unavailable") {
            try await redis.send(RedisCommand("INCR", key))
        }
        // A refusal that clears within the budget: the write goes through, and only once.
        async let write = redis.send(RedisCommand("INCR", key))
        try await Task.sleep(for: .milliseconds(300))
        _ = try await cluster.send(RedisCommand("CONFIG", "SET", "min-replicas-to-write", "0"), to: primary)
        #expect(try await write == .integer(1), "the refused INCR never ran")
    }

    @Test("A primary killed: its replica takes over and the client finds it, within its retry budget")
    func failover() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let redis = RedisClient(configuration: .init(urls: cluster.urls, retryBudget: .seconds(10)))
        defer { redis.close() }
        let key = "{failover}:counter"
        let (written, acknowledged) = try await redis.sendDurably(
            [RedisCommand("SET", key, "1")], replicas: 1, timeout: .seconds(2))
        #expect(written == [.status("OK")] && acknowledged == 1, "the write is on the replica before the kill")
        let victim = try #require(try await cluster.owner(of: ClusterSlot(key: key), asSeenBy: cluster.ports[0]))
        cluster.kill(victim)
        let clock = ContinuousClock()
        let started = clock.now
        var value: RedisReply?
        while value == nil && clock.now - started < .seconds(30) {
            value = try? await redis.send(RedisCommand("GET", key))
        }
        #expect(value == .bulk("1"), "the write acknowledged by a replica survived the failover")
        print("failover: the client read the key again after \(clock.now - started)")
        let survivor = try #require(
            try await cluster.owner(of: ClusterSlot(key: key), asSeenBy: cluster.ports.first { $0 != victim }!))
        #expect(survivor != victim)
    }
}
