import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Redis client that never blocks a thread: commands from any task are pipelined on NIO connections, with
/// hiredis as the RESP codec. It serves a plain Redis and a Redis Cluster alike, and finds out which it has by
/// itself (`cluster_enabled` in `INFO cluster`) on first use.
///
/// On a plain Redis every command goes down one connection. On a cluster each command goes to the primary that
/// serves its key's hash slot (one connection per primary, each carrying every caller's pipelines), and the client
/// follows `MOVED` and `ASK`, waits out `TRYAGAIN` and `CLUSTERDOWN` and reads the topology again after a node
/// fails, all within ``Configuration/retryBudget``. A command whose connection failed after it was sent is never
/// sent again: it may have run. The client connects on first use and again after any failure, so a Redis restart
/// costs the calls made while it is down, each of which fails with a ``RedisError`` within its timeouts.
public final class RedisClient: Sendable {
    /// How to reach Redis and how long to wait for it.
    public struct Configuration: Sendable {
        /// Where Redis is and how to log in: one server, or seed nodes of a cluster (any one reachable suffices;
        /// the login of the first is used on every node).
        public var urls: [RedisURL]
        /// How long opening a connection (TCP, AUTH, SELECT) may take.
        public var connectTimeout: Duration
        /// How long a pipeline may wait for its replies before the connection is given up.
        public var commandTimeout: Duration
        /// On a cluster, how long a command may keep being redirected or retried (a failover, a slot migrating)
        /// before it fails.
        public var retryBudget: Duration
        /// Talk to the first URL's server only, even if it is a node of a cluster (for tools that look after one
        /// node); by default the client finds out whether Redis is a cluster and follows it.
        public var singleNode = false

        /// The first URL: the server, or the first seed.
        public var url: RedisURL { urls[0] }

        /// How long a pipeline on a connection for writes followed by WAIT may wait: WAITs queue behind each other
        /// there (each blocks the connection up to its own timeout), so it is longer than ``commandTimeout``.
        var durableCommandTimeout: Duration { max(commandTimeout, .seconds(10)) }

        /// Creates a configuration for one server or seed; the timeouts bound how long a caller waits while Redis
        /// is unreachable.
        public init(
            url: RedisURL, connectTimeout: Duration = .seconds(1), commandTimeout: Duration = .seconds(2),
            retryBudget: Duration = .seconds(4)
        ) {
            self.init(
                urls: [url], connectTimeout: connectTimeout, commandTimeout: commandTimeout, retryBudget: retryBudget)
        }

        /// Creates a configuration with several seed nodes (at least one).
        public init(
            urls: [RedisURL], connectTimeout: Duration = .seconds(1), commandTimeout: Duration = .seconds(2),
            retryBudget: Duration = .seconds(4)
        ) {
            precondition(!urls.isEmpty, "a Redis client needs at least one URL")
            self.urls = urls
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.retryBudget = retryBudget
        }
    }

    /// What the client talks to, once it knows: a server (with a second connection for writes that wait for
    /// replicas), or a cluster.
    enum Backend: Sendable {
        case single(RedisNode, durable: RedisNode)
        case cluster(RedisCluster)
    }

    private enum State {
        case undecided
        case discovering(Task<Backend, any Error>)
        case ready(Backend)
        case closed
    }

    /// The configuration this client was created with.
    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex<State>(.undecided)

    /// Creates a client; it connects lazily, on the first command.
    public init(
        configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "boxoffice.redis")
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    /// Sends one command and returns its reply.
    /// - Throws: ``RedisError`` when Redis cannot be reached or does not answer in time.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply {
        try await send([command])[0]
    }

    /// Sends commands as one pipeline (one round trip per node) and returns their replies in order.
    ///
    /// A script invoked with ``RedisCommand/evaluate(_:keys:arguments:)`` that a server does not know yet is sent
    /// again with its source.
    /// - Throws: ``RedisError`` when Redis cannot be reached or does not answer in time.
    public func send(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        switch try await backend() {
        case .single(let node, _): try await node.send(commands)
        case .cluster(let cluster): try await cluster.send(commands)
        }
    }

    /// Sends `commands` (all on one key's slot) and then `WAIT replicas timeout`, on a connection of their own to
    /// the primary serving them, so that the wait holds up nobody else's commands; returns their replies and how
    /// many replicas acknowledged every write made on that connection so far, these included.
    ///
    /// A write acknowledged by a replica survives the loss of its primary when that replica takes over.
    /// - Throws: ``RedisError``, as a command sent with `send` would.
    public func sendDurably(_ commands: [RedisCommand], replicas: Int, timeout: Duration) async throws(RedisError)
        -> (replies: [RedisReply], acknowledged: Int)
    {
        precondition(timeout > .zero, "WAIT with no timeout would block for ever")
        let wait = RedisCommand("WAIT", String(replicas), String(timeout.nanoseconds / 1_000_000))
        switch try await backend() {
        case .single(_, let durable):
            let replies = try await durable.send(commands + [wait])
            return (Array(replies.dropLast()), replies.last?.integer ?? 0)
        case .cluster(let cluster):
            return try await cluster.sendDurably(commands, wait: wait)
        }
    }

    /// True when Redis is a cluster; finds out on the first call.
    /// - Throws: ``RedisError`` when no seed can be reached.
    public func isCluster() async throws(RedisError) -> Bool {
        if case .cluster = try await backend() { true } else { false }
    }

    /// On a cluster, how many commands were sent again after `MOVED` and after `ASK` so far; zeros otherwise.
    public var redirections: (moved: Int, asked: Int) {
        guard case .ready(.cluster(let cluster)) = state.withLock({ $0 }) else { return (0, 0) }
        return (
            cluster.redirections.moved.load(ordering: .relaxed), cluster.redirections.asked.load(ordering: .relaxed)
        )
    }

    /// Closes every connection; later calls fail with ``RedisError/clientClosed``.
    public func close() {
        let previous = state.withLock { state in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .ready(let backend): Self.close(backend)
        case .discovering(let task): task.cancel()
        case .undecided, .closed: break
        }
    }

    // MARK: Finding out what Redis is

    /// The backend, found out on first use from the seeds: a cluster if the first that answers says so.
    func backend() async throws(RedisError) -> Backend {
        enum Next {
            case use(Backend)
            case wait(Task<Backend, any Error>)
            case fail
        }
        let next: Next = state.withLock { state in
            switch state {
            case .ready(let backend): return .use(backend)
            case .discovering(let task): return .wait(task)
            case .closed: return .fail
            case .undecided:
                let task = Task { [configuration, group, logger] in
                    try await Self.discover(configuration, group: group, logger: logger)
                }
                state = .discovering(task)
                return .wait(task)
            }
        }
        switch next {
        case .use(let backend):
            return backend
        case .fail:
            throw .clientClosed
        case .wait(let task):
            do {
                let backend = try await task.value
                // Every caller waiting on this discovery gets the same backend; the first adopts it. One made after
                // the client was closed, or by a discovery that lost to another, is closed.
                let current = state.withLock { state -> Backend? in
                    switch state {
                    case .discovering(let pending) where pending == task:
                        state = .ready(backend)
                        return backend
                    case .ready(let ready): return ready
                    case .undecided, .discovering, .closed: return nil
                    }
                }
                guard let current else {
                    Self.close(backend)
                    throw RedisError.clientClosed
                }
                return current
            } catch {
                state.withLock { state in
                    if case .discovering(let pending) = state, pending == task { state = .undecided }
                }
                throw (error as? RedisError) ?? .connectionLost
            }
        }
    }

    private static func close(_ backend: Backend) {
        switch backend {
        case .single(let node, let durable):
            node.close()
            durable.close()
        case .cluster(let cluster): cluster.close()
        }
    }

    /// Asks each seed in turn whether it is a cluster node (`INFO cluster`); the first that answers decides. A
    /// server that refuses `INFO` (an ACL without it) is taken for a plain Redis.
    private static func discover(_ configuration: Configuration, group: any EventLoopGroup, logger: Logger)
        async throws(RedisError) -> Backend
    {
        func node(_ url: RedisURL, durable: Bool = false) -> RedisNode {
            RedisNode(
                url: url, connectTimeout: configuration.connectTimeout,
                commandTimeout: durable ? configuration.durableCommandTimeout : configuration.commandTimeout,
                group: group, logger: logger, perEventLoop: !durable)
        }
        if configuration.singleNode {
            return .single(node(configuration.url), durable: node(configuration.url, durable: true))
        }
        var lastError = RedisError.connectFailed("no Redis URL")
        for url in configuration.urls {
            let seed = node(url)
            let reply: RedisReply
            do {
                reply = try await seed.send([RedisCommand("INFO", "cluster")])[0]
            } catch {
                seed.close()
                if error.isSetupRejected { throw error }
                lastError = error
                continue
            }
            guard reply.string?.contains("cluster_enabled:1") == true else {
                return .single(seed, durable: node(url, durable: true))
            }
            let cluster = RedisCluster(configuration: configuration, seed: seed, group: group, logger: logger)
            do {
                try await cluster.readTopology()
            } catch {
                cluster.close()  // its seed's connection with it
                if error.isSetupRejected { throw error }
                lastError = error
                continue
            }
            logger.info("Redis is a cluster", metadata: ["seed": "\(url)"])
            return .cluster(cluster)
        }
        throw lastError
    }
}
