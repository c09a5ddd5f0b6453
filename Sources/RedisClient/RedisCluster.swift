import Logging
import NIOCore
import Synchronization

/// A Redis Cluster as one client sees it: the topology (which primary serves which slot) and one ``RedisNode``
/// per node it has talked to. Routes each command to its slot's primary, batching every caller's commands for one
/// node into that node's pipeline, and handles the cluster's answers to a misrouted or untimely command.
final class RedisCluster: Sendable {
    private struct State {
        var topology: ClusterTopology?
        var nodes: [ClusterNode: RedisNode] = [:]
        /// A second connection per node, for writes followed by WAIT.
        var durableNodes: [ClusterNode: RedisNode] = [:]
        var reading: Task<Void, Never>?
        var closed = false
    }

    /// Why a command must be sent again, and where.
    private enum Redirection {
        /// The slot lives on another node for good (`MOVED`): remember it, and read the topology again.
        case moved(ClusterSlot, ClusterNode)
        /// The slot is migrating and this key is already on the target (`ASK`): send it there once, after `ASKING`.
        case ask(ClusterNode)
        /// The cluster cannot serve the command just now (`TRYAGAIN`, `CLUSTERDOWN`, a node still `LOADING`, a
        /// node that is a replica now, `READONLY`, or a primary short of the replicas its `min-replicas-to-write`
        /// asks for, `NOREPLICAS`): wait, read the topology again, and retry. It did not run (a script refused
        /// `NOREPLICAS` at its first write has written nothing).
        case later

        init?(_ reply: RedisReply) {
            guard let message = reply.errorMessage else { return nil }
            let words = message.split(separator: " ")
            switch words.first {
            case "MOVED", "ASK":
                guard words.count == 3, let number = Int(words[1]), let slot = ClusterSlot(number: number) else {
                    return nil
                }
                // A node whose address its peers do not know answers `?:port` or `:port`: read the topology again.
                guard let node = ClusterNode(redirection: words[2]), node.host != "?" else {
                    self = .later
                    return
                }
                self = words.first == "MOVED" ? .moved(slot, node) : .ask(node)
            case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "READONLY", "MASTERDOWN", "NOREPLICAS":
                self = .later
            default:
                return nil
            }
        }
    }

    /// One command on its way: its place in the caller's pipeline, and the node it must go to after `ASKING`.
    private struct Route: Sendable {
        let index: Int
        var asking: ClusterNode?
        var asked = false
    }

    /// One node's share of a pipeline, and, once sent, what came back.
    private struct Send: Sendable {
        let node: ClusterNode
        let routes: [Route]
        let pipeline: [RedisCommand]
        let client: RedisNode
        var outcome: Result<[RedisReply], RedisError> = .success([])

        /// Sends the share; the outcome is its replies, or why they did not come.
        func run() async -> Send {
            var done = self
            do {
                done.outcome = .success(try await client.send(pipeline))
            } catch {
                done.outcome = .failure(error)
            }
            return done
        }
    }

    private let configuration: RedisClient.Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state: Mutex<State>
    /// Commands sent again after `MOVED`, and after `ASK`, since the client was made.
    let redirections = Redirections()

    /// Counts of redirections followed, for figures and tests.
    final class Redirections: Sendable {
        let moved = Atomic<Int>(0)
        let asked = Atomic<Int>(0)
    }

    /// Creates a cluster client that knows `seed`, a node that said it is in a cluster.
    init(configuration: RedisClient.Configuration, seed: RedisNode, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        var state = State()
        state.nodes[ClusterNode(host: seed.url.host, port: seed.url.port)] = seed
        self.state = Mutex(state)
    }

    // MARK: Sending

    /// Sends `commands` to the primaries serving their slots, each node's share as one pipeline, all nodes at once;
    /// returns the replies in the order of `commands`.
    func send(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        var replies = [RedisReply?](repeating: nil, count: commands.count)
        var pending = commands.indices.map { Route(index: $0) }
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.retryBudget
        var round = 0
        while true {
            let topology = try await currentTopology()
            var shares: [ClusterNode: [Route]] = [:]
            for route in pending {
                let node =
                    route.asking ?? commands[route.index].slot.flatMap { topology.primary(for: $0) }
                    ?? topology.primaries[0]
                shares[node, default: []].append(route)
            }
            var sends: [Send] = []
            for (node, routes) in shares {
                let pipeline = routes.flatMap { route in
                    route.asking == nil ? [commands[route.index]] : [RedisCommand("ASKING"), commands[route.index]]
                }
                sends.append(Send(node: node, routes: routes, pipeline: pipeline, client: self.node(node)))
            }
            let outcomes: [Send]
            if sends.count == 1 {
                outcomes = [await sends[0].run()]
            } else {
                outcomes = await withTaskGroup(of: Send.self) { group in
                    for send in sends { group.addTask { await send.run() } }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            var again: [Route] = []
            var readTopology = false
            for send in outcomes {
                let (node, routes) = (send.node, send.routes)
                let answers: [RedisReply]
                switch send.outcome {
                case .success(let got): answers = got
                case .failure(let error) where error.isConnectFailure:
                    // Never sent: the node is down or gone. Ask again where the slots are, and retry.
                    logger.debug("cannot reach a cluster node", metadata: ["node": "\(node)", "error": "\(error)"])
                    again += routes
                    readTopology = true
                    continue
                case .failure(let error):
                    throw error  // sent, and then the connection failed: it may have run, so it is not sent again
                }
                var position = 0
                for route in routes {
                    if route.asking != nil { position += 1 }  // ASKING's own OK
                    let reply = answers[position]
                    position += 1
                    switch Redirection(reply) {
                    case .moved(let slot, let target):
                        redirections.moved.add(1, ordering: .relaxed)
                        state.withLock { $0.topology?.assign(slot, to: target) }
                        readTopology = true
                        again.append(Route(index: route.index))
                    case .ask(let target) where !route.asked:
                        redirections.asked.add(1, ordering: .relaxed)
                        again.append(Route(index: route.index, asking: target, asked: true))
                    case .later:
                        readTopology = true
                        again.append(Route(index: route.index))
                    case .ask, nil:
                        replies[route.index] = reply
                    }
                }
            }
            guard !again.isEmpty else { return replies.map { $0 ?? .null } }
            guard clock.now < deadline else {
                throw .connectFailed("Redis Cluster did not serve the command within \(configuration.retryBudget)")
            }
            if readTopology { await refreshTopology() }
            if again.contains(where: { $0.asking == nil }) {
                try? await Task.sleep(for: .milliseconds(min(25 << min(round, 5), 500)))
            }
            round += 1
            pending = again
        }
    }

    /// Sends `commands` (one slot's) and `wait` (a `WAIT`) as one pipeline on the slot's primary's connection for
    /// durable writes, following redirections as ``send(_:)`` does; returns the commands' replies and WAIT's count.
    func sendDurably(_ commands: [RedisCommand], wait: RedisCommand) async throws(RedisError)
        -> (replies: [RedisReply], acknowledged: Int)
    {
        let slot = commands.lazy.compactMap(\.slot).first
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.retryBudget
        var asking: ClusterNode?
        var round = 0
        while true {
            let topology = try await currentTopology()
            let address = asking ?? slot.flatMap { topology.primary(for: $0) } ?? topology.primaries[0]
            let pipeline = (asking == nil ? [] : [RedisCommand("ASKING")]) + commands + [wait]
            var replies: [RedisReply]
            do {
                replies = try await node(address, durable: true).send(pipeline)
            } catch  where error.isConnectFailure && clock.now < deadline {
                await refreshTopology()
                round += 1
                try? await Task.sleep(for: .milliseconds(min(25 << min(round, 5), 500)))
                continue
            }
            if asking != nil { replies.removeFirst() }
            let acknowledged = replies.removeLast().integer ?? 0
            switch replies.lazy.compactMap({ Redirection($0) }).first {
            case nil:
                return (replies, acknowledged)
            case .some(_) where clock.now >= deadline:
                throw .connectFailed("Redis Cluster did not serve the command within \(configuration.retryBudget)")
            case .moved(let movedSlot, let target):
                redirections.moved.add(1, ordering: .relaxed)
                state.withLock { $0.topology?.assign(movedSlot, to: target) }
                asking = nil
                await refreshTopology()
            case .ask(let target) where asking == nil:
                redirections.asked.add(1, ordering: .relaxed)
                asking = target
            case .ask, .later:
                asking = nil
                await refreshTopology()
                round += 1
                try? await Task.sleep(for: .milliseconds(min(25 << min(round, 5), 500)))
            }
        }
    }

    /// The client of every primary, for commands that must visit them all (SCAN).
    func primaries() async throws(RedisError) -> [RedisNode] {
        try await currentTopology().primaries.map { node($0) }
    }

    /// Closes every node's connections.
    func close() {
        let nodes = state.withLock { state in
            state.closed = true
            state.reading?.cancel()
            defer {
                state.nodes = [:]
                state.durableNodes = [:]
            }
            return Array(state.nodes.values) + Array(state.durableNodes.values)
        }
        for node in nodes { node.close() }
    }

    // MARK: Nodes and topology

    /// The client of `address` (its connection for writes followed by WAIT when `durable`), made on first use
    /// with the first seed's login.
    private func node(_ address: ClusterNode, durable: Bool = false) -> RedisNode {
        state.withLock { state in
            if let existing = durable ? state.durableNodes[address] : state.nodes[address] { return existing }
            var url = configuration.url
            url.host = address.host
            url.port = address.port
            url.database = 0
            let node = RedisNode(
                url: url, connectTimeout: configuration.connectTimeout,
                commandTimeout: durable ? configuration.durableCommandTimeout : configuration.commandTimeout,
                group: group, logger: logger, perEventLoop: !durable)
            if !state.closed {
                if durable { state.durableNodes[address] = node } else { state.nodes[address] = node }
            }
            return node
        }
    }

    private func currentTopology() async throws(RedisError) -> ClusterTopology {
        if let topology = state.withLock({ $0.topology }) { return topology }
        try await readTopology()
        guard let topology = state.withLock({ $0.topology }) else { throw .connectFailed("no cluster topology") }
        return topology
    }

    /// Reads the topology (`CLUSTER SHARDS`) from the first node that answers: known primaries first, then every
    /// other node the cluster named, then the seeds.
    /// - Throws: ``RedisError`` when no node answers with a topology.
    func readTopology() async throws(RedisError) {
        let known = state.withLock { state in
            (state.topology?.primaries ?? []) + (state.topology?.nodes ?? []) + Array(state.nodes.keys)
        }
        let seeds = configuration.urls.map { ClusterNode(host: $0.host, port: $0.port) }
        var asked: Set<ClusterNode> = []
        var lastError = RedisError.connectFailed("no cluster node answered CLUSTER SHARDS")
        for address in known + seeds where asked.insert(address).inserted {
            let reply: RedisReply
            do {
                reply = try await node(address).send([RedisCommand("CLUSTER", "SHARDS")])[0]
            } catch {
                if error.isSetupRejected { throw error }
                lastError = error
                continue
            }
            if let topology = ClusterTopology(shards: reply) {
                state.withLock { $0.topology = topology }
                return
            }
            if let message = reply.errorMessage, message.hasPrefix("NOPERM") { throw .commandRefused(message) }
        }
        throw lastError
    }

    /// Reads the topology again, once for every caller that asks while a reading is under way; a failure leaves the
    /// topology as it was (the next redirection or failure asks again).
    private func refreshTopology() async {
        let reading = state.withLock { state -> Task<Void, Never>? in
            if let reading = state.reading { return reading }
            guard !state.closed else { return nil }
            let reading = Task { [self] in
                do {
                    try await readTopology()
                } catch {
                    logger.warning("cannot read the cluster topology", metadata: ["error": "\(error)"])
                }
                self.state.withLock { $0.reading = nil }
            }
            state.reading = reading
            return reading
        }
        await reading?.value
    }
}
