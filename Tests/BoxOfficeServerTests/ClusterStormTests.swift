import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// Storms of kiosks on two daemons over a real Redis Cluster of three primaries and three replicas (each test starts
/// its own), while the cluster is disturbed: a slot migrating, a manual failover, a primary killed, a daemon killed
/// in the middle of payments. After each: no seat sold twice, every `OK BOOKED` in Redis with its seats, every booking
/// captured, no capture without a booking, nothing left held or unsettled.
@Suite("Cluster storms: two daemons, kiosks everywhere, the cluster disturbed", .serialized, .timeLimit(.minutes(5)))
struct ClusterStormTests {
    /// The demo kiosk with short sessions, so that what a killed daemon leaves expires within a test, and limits a
    /// storm does not reach.
    static let stormProfile = """
        id = "demo"
        secret_sha256 = "7044157f09e220af2dab002231641407163104111845a58b44629ce8b22627c2"
        max_seats = 8
        session_timeout_seconds = 12
        payment_grace_seconds = 25
        password_checks_per_minute = 5000
        sessions_per_customer = 1000000
        sessions_per_kiosk = 1000000
        open_sessions = 1000000
        max_connections = 10000
        """

    /// Two daemons on `cluster` (extra flags in `arguments`; the first with `environment`), the shows on sale, and
    /// which primaries those shows live on.
    private func daemons(
        on cluster: RedisClusterProcess, arguments: [String] = [], environment: [String: String] = [:]
    ) async throws -> ([LimitedDaemon], [String]) {
        let profiles = ["demo.toml": Self.stormProfile]
        let first = try await LimitedDaemon.start(
            arguments: arguments, profiles: profiles, cluster: cluster, environment: environment)
        let second = try await LimitedDaemon.start(arguments: arguments, profiles: profiles, cluster: cluster)
        let kiosk = try await first.kiosk()
        let listing = try await kiosk.send("SHOWS")
        let shows = listing.data.filter { $0.hasPrefix("SHOW ") }.prefix(9).compactMap {
            $0.split(separator: " ").dropFirst().first.map(String.init)
        }
        var owners: Set<Int> = []
        for show in shows {
            let slot = ClusterSlot(key: "boxoffice:{show:\(show)}:show")
            if let owner = try await cluster.owner(of: slot, asSeenBy: cluster.livePort) { owners.insert(owner) }
        }
        #expect(owners.count == 3, "the storm's shows live on all three primaries: \(shows)")
        return ([first, second], shows)
    }

    /// The port of the primary serving `show`.
    private func primary(of show: String, in cluster: RedisClusterProcess) async throws -> Int {
        try #require(
            try await cluster.owner(of: ClusterSlot(key: "boxoffice:{show:\(show)}:show"), asSeenBy: cluster.livePort))
    }

    private func expectInvariants(
        _ cluster: RedisClusterProcess, shows: [String], outcome: ClusterStorm.Outcome, durability: Durability? = nil,
        _ label: String
    ) async throws {
        let urls = cluster.liveURLs
        let violations = try await ClusterStorm.settleAndCheck(
            urls: urls, shows: shows, outcome: outcome, durability: durability)
        #expect(violations.isEmpty, "\(violations.prefix(10))")
        #expect(outcome.booked.count > 5, "the storm sold seats: \(outcome.booked.count)")
        print(
            "cluster storm (\(label)): \(outcome.requests) requests, \(outcome.booked.count) bookings, "
                + "\(outcome.inDoubt) payments in doubt, \(violations.count) violations")
    }

    @Test("A storm over shows on all three primaries")
    func storm() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let (daemons, shows) = try await daemons(on: cluster)
        defer { daemons.forEach { $0.stop() } }
        let outcome = await ClusterStorm(daemons: daemons, shows: shows).run(kiosks: 16, for: .seconds(8))
        try await expectInvariants(cluster, shows: shows, outcome: outcome, "quiet")
    }

    @Test("A busy show's slot migrates to another primary mid-storm: ASK, then MOVED")
    func migrationMidStorm() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let (daemons, shows) = try await daemons(on: cluster)
        defer { daemons.forEach { $0.stop() } }
        let hot = Array(shows.prefix(2))
        let slot = ClusterSlot(key: "boxoffice:{show:\(hot[0])}:show")
        let source = try await primary(of: hot[0], in: cluster)
        let target = try #require(try await cluster.primaries().first { $0 != source })
        let storm = Task { await ClusterStorm(daemons: daemons, shows: hot).run(kiosks: 16, for: .seconds(10)) }
        try await Task.sleep(for: .seconds(2))
        try await cluster.beginMigration(of: slot, from: source, to: target)
        var moved = 0
        repeat {
            moved = try await cluster.moveKeys(of: slot, from: source, to: target, count: 5)
            try await Task.sleep(for: .milliseconds(200))
        } while moved > 0
        try await cluster.endMigration(of: slot, to: target)
        let outcome = await storm.value
        #expect(try await primary(of: hot[0], in: cluster) == target)
        try await expectInvariants(cluster, shows: hot, outcome: outcome, "slot migrated")
    }

    @Test("A manual failover (CLUSTER FAILOVER on a replica) mid-storm, with --replica-acks 1")
    func manualFailoverMidStorm() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let (daemons, shows) = try await daemons(on: cluster, arguments: ["--replica-acks", "1"])
        defer { daemons.forEach { $0.stop() } }
        let old = try await primary(of: shows[0], in: cluster)
        let replica = try #require(try await cluster.replica(of: old))
        let storm = Task { await ClusterStorm(daemons: daemons, shows: shows).run(kiosks: 16, for: .seconds(10)) }
        try await Task.sleep(for: .seconds(3))
        #expect(try await cluster.send(RedisCommand("CLUSTER", "FAILOVER"), to: replica) == .status("OK"))
        let outcome = await storm.value
        #expect(try await primary(of: shows[0], in: cluster) == replica, "the replica took over")
        try await expectInvariants(
            cluster, shows: shows, outcome: outcome, durability: Durability(replicas: 1), "manual failover")
    }

    @Test("A primary killed with SIGKILL mid-storm, with --replica-acks 1: no OK BOOKED lost")
    func primaryKilledMidStorm() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let (daemons, shows) = try await daemons(on: cluster, arguments: ["--replica-acks", "1"])
        defer { daemons.forEach { $0.stop() } }
        let victim = try await primary(of: shows[0], in: cluster)
        let storm = Task { await ClusterStorm(daemons: daemons, shows: shows).run(kiosks: 16, for: .seconds(14)) }
        try await Task.sleep(for: .seconds(3))
        cluster.kill(victim)
        let outcome = await storm.value
        #expect(try await primary(of: shows[0], in: cluster) != victim, "a replica took over")
        // Without its replica, the promoted primary's bookings cannot be captured: the operator brings the node
        // back, and it rejoins as the new primary's replica.
        try await cluster.restart(victim)
        try await cluster.waitUntilHealthy()
        try await expectInvariants(
            cluster, shows: shows, outcome: outcome, durability: Durability(replicas: 1), "primary killed")
    }

    @Test("A daemon killed with SIGKILL during payments while a primary fails: the other settles everything")
    func daemonKilledDuringFailover() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let (daemons, shows) = try await daemons(
            on: cluster, arguments: ["--replica-acks", "1"], environment: ["BOXOFFICE_PAYSIM_LATENCY_MS": "1500"])
        defer { daemons.forEach { $0.stop() } }
        let victim = try await primary(of: shows[0], in: cluster)
        let storm = Task { await ClusterStorm(daemons: daemons, shows: shows).run(kiosks: 16, for: .seconds(12)) }
        try await Task.sleep(for: .seconds(4))
        daemons[0].kill()
        cluster.kill(victim)
        let outcome = await storm.value
        try await cluster.restart(victim)
        try await cluster.waitUntilHealthy()
        try await expectInvariants(
            cluster, shows: shows, outcome: outcome, durability: Durability(replicas: 1), "daemon and primary killed")
    }
}
