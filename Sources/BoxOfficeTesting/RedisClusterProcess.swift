import Foundation
import NIOCore
import NIOPosix
import RedisClient

/// A Redis Cluster of a test's own: six `redis-server --cluster-enabled yes` on free loopback ports, joined by
/// `redis-cli --cluster create ... --cluster-replicas 1` into three primaries with one replica each, and stopped by
/// their PIDs. Nodes fail over quickly (`cluster-node-timeout` 2 s) so that tests can kill primaries.
public final class RedisClusterProcess: @unchecked Sendable {
    // @unchecked Sendable: `processes` changes only in kill/restart/stop, which a test calls from one task.

    /// The nodes' ports, in the order they were created (the first three started as primaries).
    public let ports: [Int]
    /// The folder holding each node's data folder.
    public let directory: URL
    private var processes: [Int: Process] = [:]

    /// The seed URLs of every node, for a ``RedisClient`` (any one reachable suffices).
    public var urls: [RedisURL] { ports.map { RedisURL(host: "127.0.0.1", port: $0) } }
    /// The seed URLs of the nodes still running (not killed).
    public var liveURLs: [RedisURL] {
        ports.filter { processes[$0] != nil }.map { RedisURL(host: "127.0.0.1", port: $0) }
    }
    /// The seeds as one comma-separated list, as `--redis` and `BOXOFFICE_REDIS_URL` take them.
    public var urlList: String { urls.map(\.description).joined(separator: ",") }

    /// Starts six nodes, joins them, and waits until every slot is served and every replica has synced.
    public init() async throws {
        var ports: [Int] = []
        while ports.count < 6 {
            let port = try await freeClusterPort()
            if !ports.contains(port) { ports.append(port) }
        }
        self.ports = ports
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boxoffice-test-cluster-\(UUID().uuidString)")
        for port in ports { try start(port) }
        for port in ports { try await waitForAnswer(port) }
        let create = Process()
        create.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        create.arguments =
            ["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" } + ["--cluster-replicas", "1", "--cluster-yes"]
        create.standardOutput = FileHandle.nullDevice
        create.standardError = FileHandle.nullDevice
        try create.run()
        create.waitUntilExit()
        guard create.terminationStatus == 0 else {
            stop()
            throw RedisError.connectFailed("redis-cli --cluster create failed (\(create.terminationStatus))")
        }
        try await waitUntilHealthy()
    }

    /// Sends `command` to the one node on `port` (not following the cluster).
    public func send(_ command: RedisCommand, to port: Int) async throws -> RedisReply {
        var configuration = RedisClient.Configuration(url: RedisURL(host: "127.0.0.1", port: port))
        configuration.singleNode = true
        let client = RedisClient(configuration: configuration)
        defer { client.close() }
        return try await client.send(command)
    }

    /// The ports of the nodes that are primaries now and serve slots, as a live node sees it.
    public func primaries() async throws -> [Int] {
        for port in ports where processes[port] != nil {
            guard let reply = try? await send(RedisCommand("CLUSTER", "NODES"), to: port), let text = reply.string
            else {
                continue
            }
            return text.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ")
                guard fields.count >= 8, fields[2].contains("master"), !fields[2].contains("fail"),
                    fields.count > 8  // serves slots
                else { return nil }
                return Int(fields[1].split(separator: "@")[0].split(separator: ":").last ?? "")
            }.sorted()
        }
        return []
    }

    /// The port of the primary serving `slot`, as the node on `port` sees it.
    public func owner(of slot: ClusterSlot, asSeenBy port: Int) async throws -> Int? {
        let reply = try await send(RedisCommand("CLUSTER", "SHARDS"), to: port)
        for shard in reply.array ?? [] {
            let fields = shard.array ?? []
            guard let slotsAt = fields.firstIndex(of: .bulk("slots")),
                let nodesAt = fields.firstIndex(of: .bulk("nodes"))
            else { continue }
            let ranges = (fields[slotsAt + 1].array ?? []).compactMap(\.integer)
            let serves = stride(from: 0, to: ranges.count - 1, by: 2).contains {
                (ranges[$0]...ranges[$0 + 1]).contains(slot.number)
            }
            guard serves else { continue }
            for node in fields[nodesAt + 1].array ?? [] {
                let values = node.array ?? []
                guard let role = values.firstIndex(of: .bulk("role")), values[role + 1] == .bulk("master"),
                    let portAt = values.firstIndex(of: .bulk("port"))
                else { continue }
                return values[portAt + 1].integer
            }
        }
        return nil
    }

    /// The node id of the node on `port`.
    public func nodeID(_ port: Int) async throws -> String {
        try await send(RedisCommand("CLUSTER", "MYID"), to: port).string ?? ""
    }

    /// Starts moving `slot` from the primary on `source` to the one on `target` (`IMPORTING` on the target,
    /// `MIGRATING` on the source): keys still on the source are served there, the rest `ASK` the target.
    public func beginMigration(of slot: ClusterSlot, from source: Int, to target: Int) async throws {
        let sourceID = try await nodeID(source)
        let targetID = try await nodeID(target)
        _ = try await send(RedisCommand("CLUSTER", "SETSLOT", String(slot.number), "IMPORTING", sourceID), to: target)
        _ = try await send(RedisCommand("CLUSTER", "SETSLOT", String(slot.number), "MIGRATING", targetID), to: source)
    }

    /// Moves up to `count` keys of `slot` from the primary on `source` to the one on `target` (`MIGRATE`).
    /// - Returns: how many keys were moved.
    public func moveKeys(of slot: ClusterSlot, from source: Int, to target: Int, count: Int = 1000) async throws -> Int
    {
        let keys =
            (try await send(
                RedisCommand("CLUSTER", "GETKEYSINSLOT", String(slot.number), String(count)), to: source
            ).array ?? [])
            .compactMap(\.string)
        guard !keys.isEmpty else { return 0 }
        let reply = try await send(
            RedisCommand("MIGRATE", arguments: ["127.0.0.1", String(target), "", "0", "5000", "KEYS"] + keys),
            to: source)
        if let message = reply.errorMessage { throw RedisError.commandRefused(message) }
        return keys.count
    }

    /// Finishes moving `slot` to the primary on `target`: every primary learns its new owner (`SETSLOT NODE`).
    public func endMigration(of slot: ClusterSlot, to target: Int) async throws {
        let targetID = try await nodeID(target)
        for port in try await primaries() {
            _ = try await send(RedisCommand("CLUSTER", "SETSLOT", String(slot.number), "NODE", targetID), to: port)
        }
    }

    /// The port of a replica of the primary on `port`, as that primary sees it.
    public func replica(of port: Int) async throws -> Int? {
        let id = try await nodeID(port)
        let text = try await send(RedisCommand("CLUSTER", "NODES"), to: port).string ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4, fields[2].contains("slave"), fields[3] == id else { continue }
            return Int(fields[1].split(separator: "@")[0].split(separator: ":").last ?? "")
        }
        return nil
    }

    /// Whether the node on `port`, a replica, has `key` (read with `READONLY`, as replicas refuse reads otherwise).
    public func replicaHas(_ key: String, on port: Int) async throws -> Bool {
        var configuration = RedisClient.Configuration(url: RedisURL(host: "127.0.0.1", port: port))
        configuration.singleNode = true
        let client = RedisClient(configuration: configuration)
        defer { client.close() }
        let replies = try await client.send([RedisCommand("READONLY"), RedisCommand("EXISTS", key)])
        return replies[1] == .integer(1)
    }

    /// Sends `signal` (SIGSTOP, SIGCONT) to the node on `port`.
    public func signal(_ signal: Int32, to port: Int) {
        if let process = processes[port] { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Starts the node on `port` again, after ``kill(_:)``: with its cluster configuration kept, it rejoins, as a
    /// replica if its slots were taken over meanwhile.
    public func restart(_ port: Int) async throws {
        try start(port)
        try await waitForAnswer(port)
    }

    /// A node that is running, to ask about the cluster.
    public var livePort: Int { ports.first { processes[$0] != nil } ?? ports[0] }

    /// Kills the node on `port` with SIGKILL and waits for it to be gone.
    public func kill(_ port: Int) {
        guard let process = processes.removeValue(forKey: port) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until every slot is served and every replica's link to its primary is up.
    public func waitUntilHealthy(within timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await isHealthy() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RedisError.connectFailed("the test cluster did not become healthy within \(timeout)")
    }

    /// Stops every node (a paused one too) and removes their data.
    public func stop() {
        for port in Array(processes.keys) {
            signal(SIGCONT, to: port)
            kill(port)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func isHealthy() async throws -> Bool {
        for port in ports where processes[port] != nil {
            guard let info = try? await send(RedisCommand("CLUSTER", "INFO"), to: port).string,
                info.contains("cluster_state:ok"),
                let replication = try? await send(RedisCommand("INFO", "replication"), to: port).string
            else { return false }
            if replication.contains("role:slave") && !replication.contains("master_link_status:up") { return false }
        }
        return true
    }

    private func start(_ port: Int) throws {
        let folder = directory.appendingPathComponent(String(port))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file",
            "nodes.conf", "--cluster-node-timeout", "2000", "--cluster-replica-validity-factor", "0", "--save", "",
            "--appendonly", "no", "--dir", folder.path, "--logfile", "redis.log",
        ]
        process.currentDirectoryURL = folder
        try process.run()
        processes[port] = process
    }

    private func waitForAnswer(_ port: Int) async throws {
        for _ in 0..<100 {
            if (try? await send(RedisCommand("PING"), to: port)) == .status("PONG") { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisError.connectFailed("test cluster node on port \(port) did not start")
    }
}

/// A loopback port that was free a moment ago and whose cluster bus port (the port + 10000) was free too. Both lie
/// below Linux's default ephemeral range (32768 up), so that no outgoing connection takes one before the node binds it.
public func freeClusterPort() async throws -> Int {
    for _ in 0..<100 {
        let port = Int.random(in: 10000...22767)
        guard
            let first = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
        else { continue }
        let second = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: port + 10000).get()
        try await first.close()
        if let second {
            try await second.close()
            return port
        }
    }
    throw RedisError.connectFailed("no free port pair for a cluster node")
}
