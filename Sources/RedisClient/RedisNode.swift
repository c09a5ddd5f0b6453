import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One Redis server, reached over one NIO connection per event loop that the callers on that loop share (a caller
/// on no loop of the group uses the first loop's), with hiredis as the RESP codec. It connects on first use and
/// again after any failure, and sends a script Redis does not know (`NOSCRIPT`: each server has its own script
/// cache) again with its source. A ``RedisClient`` uses one for a plain Redis, and one per node of a cluster.
final class RedisNode: Sendable {
    /// Where the server is and how to log in.
    let url: RedisURL
    private let connectTimeout: Duration
    private let commandTimeoutDuration: Duration
    private let logger: Logger

    /// One connection's state, on one event loop.
    private enum State {
        case idle
        case connecting(EventLoopFuture<RedisConnection>)
        case ready(RedisConnection)
        case closed
    }

    /// A connection of its own on one event loop: a caller running on that loop (a kiosk's task) sends down it and
    /// gets its replies without changing threads, and the loop's callers share its flushes.
    private final class Lane: Sendable {
        let eventLoop: any EventLoop
        let state = Mutex<State>(.idle)

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }
    }

    private let lanes: [Lane]

    /// Creates a node; it connects lazily, on the first command.
    /// - Parameter perEventLoop: one connection per event loop of `group`, each used by the callers running on its
    ///   loop (others use the first); otherwise one connection for every caller.
    init(
        url: RedisURL, connectTimeout: Duration, commandTimeout: Duration, group: any EventLoopGroup, logger: Logger,
        perEventLoop: Bool = true
    ) {
        let loops = perEventLoop ? Array(group.makeIterator()) : [group.next()]
        self.lanes = loops.map(Lane.init(eventLoop:))
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeoutDuration = commandTimeout
        self.logger = logger
    }

    /// Sends commands as one pipeline (one round trip) and returns their replies in order; a script Redis does not
    /// know yet is sent again with its source.
    /// - Throws: ``RedisError`` when the server cannot be reached or does not answer in time.
    func send(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        let connection = try await connection()
        var replies = try await Self.awaitReplies(connection.send(commands, timeout: commandTimeout))
        let unknownScripts = replies.indices.filter { index in
            replies[index].errorMessage?.hasPrefix("NOSCRIPT") == true && commands[index].withScriptSource != nil
        }
        if !unknownScripts.isEmpty {
            // A script sent after ASKING (a slot migrating to this node) is sent again after ASKING too: without it
            // the node would answer MOVED, back to the node the slot is leaving.
            let asking = unknownScripts.map { $0 > 0 && commands[$0 - 1].arguments == ["ASKING"] }
            let resent = zip(unknownScripts, asking).flatMap { index, asking in
                (asking ? [RedisCommand("ASKING")] : []) + [commands[index].withScriptSource!]
            }
            let again = try await Self.awaitReplies(connection.send(resent, timeout: commandTimeout))
            var position = 0
            for (index, asking) in zip(unknownScripts, asking) {
                if asking { position += 1 }
                replies[index] = again[position]
                position += 1
            }
        }
        return replies
    }

    /// Closes the connection; later calls fail with ``RedisError/clientClosed``.
    func close() {
        for lane in lanes {
            let previous = lane.state.withLock { state in
                defer { state = .closed }
                return state
            }
            if case .ready(let connection) = previous { connection.channel.close(promise: nil) }
        }
    }

    // MARK: Connection management

    private var commandTimeout: TimeAmount { .nanoseconds(Int64(commandTimeoutDuration.nanoseconds)) }

    /// The lane of the event loop the caller runs on, if it has one; the first otherwise.
    private var currentLane: Lane {
        if lanes.count > 1, let current = MultiThreadedEventLoopGroup.currentEventLoop,
            let lane = lanes.first(where: { $0.eventLoop === current })
        {
            return lane
        }
        return lanes[0]
    }

    private func connection() async throws(RedisError) -> RedisConnection {
        let lane = currentLane
        enum Next {
            case use(RedisConnection)
            case wait(EventLoopFuture<RedisConnection>, isNew: Bool)
            case fail
        }
        let next: Next = lane.state.withLock { state in
            switch state {
            case .ready(let connection) where connection.channel.isActive:
                return .use(connection)
            case .connecting(let pending):
                return .wait(pending, isNew: false)
            case .closed:
                return .fail
            case .idle, .ready:
                let pending = makeConnection(on: lane.eventLoop)
                state = .connecting(pending)
                return .wait(pending, isNew: true)
            }
        }
        switch next {
        case .use(let connection):
            return connection
        case .fail:
            throw .clientClosed
        case .wait(let pending, let isNew):
            if isNew { watch(pending, in: lane) }
            return try await Self.awaitReplies(pending)
        }
    }

    /// Records the outcome of a connection attempt, and forgets the connection once it closes.
    private func watch(_ pending: EventLoopFuture<RedisConnection>, in lane: Lane) {
        pending.whenComplete { [self] result in
            let adopted = lane.state.withLock { state in
                guard case .connecting(let current) = state, current == pending else { return false }
                switch result {
                case .success(let connection): state = .ready(connection)
                case .failure: state = .idle
                }
                return true
            }
            switch result {
            case .success(let connection) where !adopted:
                connection.channel.close(promise: nil)  // the client was closed while connecting
            case .success(let connection):
                logger.info("connected to Redis", metadata: ["url": "\(url)"])
                connection.channel.closeFuture.whenComplete { [self] _ in
                    let forgotten = lane.state.withLock { state in
                        guard case .ready(let current) = state, current.channel === connection.channel else {
                            return false
                        }
                        state = .idle
                        return true
                    }
                    if forgotten { logger.warning("connection to Redis lost") }
                }
            case .failure(let error):
                logger.debug("cannot connect to Redis", metadata: ["error": "\(error)"])
            }
        }
    }

    private func makeConnection(on eventLoop: any EventLoop) -> EventLoopFuture<RedisConnection> {
        let url = url
        let timeout = commandTimeout
        let connectTimeout = TimeAmount.nanoseconds(Int64(connectTimeout.nanoseconds))
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisReplyDecoder())
                    try channel.pipeline.syncOperations.addHandler(RedisPipelineHandler())
                }
            }
            .connect(host: url.host, port: url.port)
            .flatMapErrorThrowing { error in throw RedisError.connectFailed("\(error)") }
            .flatMap { channel in
                let connection = RedisConnection(channel: channel)
                return connection.send(url.setupCommands, timeout: min(timeout, connectTimeout))
                    .flatMapThrowing { replies in
                        if let refusal = replies.lazy.compactMap(\.errorMessage).first {
                            channel.close(promise: nil)
                            // A server still loading its data will answer soon: try again, as for a refused connect.
                            if refusal.hasPrefix("LOADING") || refusal.hasPrefix("MASTERDOWN") {
                                throw RedisError.connectFailed(refusal)
                            }
                            throw RedisError.setupRejected(refusal)
                        }
                        return connection
                    }
            }
    }

    static func awaitReplies<Value: Sendable>(_ future: EventLoopFuture<Value>) async throws(RedisError)
        -> Value
    {
        do {
            return try await future.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionLost
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
