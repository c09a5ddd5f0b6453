import BoxOfficeCore
import KioskProtocol
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// The kiosk protocol server: accepts TCP connections and runs one ``KioskConversation`` per connection in a
/// discarding task group. Bind first (the address is then known, port 0 included), then run.
public final class KioskServer: Service {
    private typealias Connection = NIOAsyncChannel<ConnectionInput, ByteBuffer>

    /// Bounds on connections, so that idle or hostile clients cannot crowd out the kiosks.
    public struct Limits: Sendable {
        /// How long a new connection may stay without `OK KIOSK` before it is closed.
        public var identifyTimeout: Duration
        /// How long a connection may send nothing at all before it is closed.
        public var idleTimeout: Duration
        /// The most identified kiosk connections served at once; one more is told `ERR UNAVAILABLE` and closed.
        public var maxConnections: Int
        /// The most connections that have not identified their kiosk yet; a new one sheds the oldest.
        public var maxUnidentified: Int
        /// The most unidentified connections from one source address; a new one sheds that address's oldest.
        public var maxUnidentifiedPerAddress: Int

        /// 30 s to identify, 15 minutes idle, 4096 kiosks, 256 unidentified connections, 16 from one address.
        public static let standard = Limits(
            identifyTimeout: .seconds(30), idleTimeout: .seconds(900), maxConnections: 4096)

        /// Creates limits.
        public init(
            identifyTimeout: Duration, idleTimeout: Duration, maxConnections: Int, maxUnidentified: Int = 256,
            maxUnidentifiedPerAddress: Int = 16
        ) {
            self.identifyTimeout = identifyTimeout
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
            self.maxUnidentified = maxUnidentified
            self.maxUnidentifiedPerAddress = maxUnidentifiedPerAddress
        }

        /// Descriptors the daemon needs besides its kiosk connections: standard streams, event loops, Redis
        /// connections, the metrics endpoint, connections being turned away, and room to spare.
        public static let descriptorsBesideConnections = 128

        /// The descriptors these limits may need at once: every kiosk, every unidentified connection, and the rest.
        public var descriptorsNeeded: Int { maxConnections + maxUnidentified + Self.descriptorsBesideConnections }

        /// These limits, with `maxConnections` lowered when needed so that they fit a limit of `descriptors` open
        /// files (`RLIMIT_NOFILE`); nil when not even the unidentified connections and one kiosk would fit.
        public func fitted(toDescriptors descriptors: Int) -> Limits? {
            guard descriptors < descriptorsNeeded else { return self }
            var fitted = self
            fitted.maxConnections = descriptors - maxUnidentified - Self.descriptorsBesideConnections
            return fitted.maxConnections >= 1 ? fitted : nil
        }
    }

    private let listener: NIOAsyncChannel<Connection, Never>
    private let services: BoxOfficeServices
    private let logger: Logger
    private let limits: Limits
    private let registry: ConnectionRegistry
    private let executors: EventLoopTaskExecutors

    /// The address the server listens on.
    public let localAddress: SocketAddress

    private init(
        listener: NIOAsyncChannel<Connection, Never>, services: BoxOfficeServices, logger: Logger, limits: Limits,
        registry: ConnectionRegistry, executors: EventLoopTaskExecutors
    ) throws {
        self.executors = executors
        self.listener = listener
        self.services = services
        self.logger = logger
        self.limits = limits
        self.registry = registry
        guard let address = listener.channel.localAddress else { throw ChannelError.unknownLocalAddress }
        self.localAddress = address
    }

    /// Binds the listening socket.
    /// - Parameters:
    ///   - host: the address to listen on, such as `127.0.0.1`.
    ///   - port: the port; 0 picks a free one.
    ///   - limits: timeouts and the connection limit.
    public static func bind(
        host: String, port: Int, services: BoxOfficeServices, logger: Logger, limits: Limits = .standard,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> KioskServer {
        let idleTimeout = TimeAmount(limits.idleTimeout)
        let registry = ConnectionRegistry(limits: limits)
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        DescriptorReserve(registry: registry, logger: logger))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A kiosk's requests are short lines: a small first read buffer (it grows for a burst), since each
            // connection keeps its read buffer for the next read, idle or not.
            .childChannelOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65536)
            )
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(IdleConnectionCloser())
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: Wire.maximumLineLength + 1))
                    try channel.pipeline.syncOperations.addHandler(ConnectionInbox())
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return try KioskServer(
            listener: listener, services: services, logger: logger, limits: limits, registry: registry,
            executors: EventLoopTaskExecutors(group))
    }

    /// How long the listening socket stays open, accepting nothing, after a graceful shutdown began.
    static let acceptDrainTime = TimeAmount.milliseconds(200)

    /// The line every connection hears when a graceful shutdown closes it (docs/PROTOCOL.md, "Server events").
    static let shutdownEvent = "EVENT SHUTDOWN"

    /// Serves connections until the task is cancelled or a graceful shutdown begins.
    ///
    /// On graceful shutdown it stops accepting at once; each connection finishes the request in hand (a PAY
    /// included), then hears `EVENT SHUTDOWN` and is closed. It returns when the last connection has closed.
    public func run() async throws {
        logger.info("serving kiosks", metadata: ["address": "\(localAddress)"])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { [services, logger] in
                await cancelWhenGracefulShutdown { await services.seatWatch.run(logger: logger) }
            }
            try await listener.executeThenClose { connections in
                // A graceful shutdown closes the listening socket; the connections it had accepted still come out
                // of `connections`, and each is closed through its async channel (NIO traps on one dropped).
                try await withGracefulShutdownHandler {
                    try await accept(connections, into: &group)
                } onGracefulShutdown: { [listener] in
                    // Accept no more at once; close a moment later, once the connections accepted meanwhile have
                    // left NIO's hands (it traps on one whose channel it can no longer hand over).
                    let listening = listener.channel
                    listening.setOption(.autoRead, value: false).whenComplete { _ in
                        listening.eventLoop.scheduleTask(in: Self.acceptDrainTime) { listening.close(promise: nil) }
                    }
                }
            }
        }
    }

    /// Serves each connection `connections` brings in a task of `group`, until they end; once a graceful shutdown
    /// began, closes them unserved.
    private func accept(
        _ connections: NIOAsyncChannelInboundStream<Connection>,
        into group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        for try await connection in connections {
            if Task.isShuttingDownGracefully {
                group.addTask { try? await connection.executeThenClose { _, _ in } }
                continue
            }
            let address = connection.channel.remoteAddress?.ipAddress ?? "?"
            switch registry.admit(connection.channel, from: address) {
            case .full:
                services.statistics.connectionRefused()
                group.addTask { await Self.refuse(connection) }
            case .admitted(let ticket, let shed):
                for channel in shed {
                    services.statistics.connectionShed()
                    channel.close(promise: nil)
                }
                // The connection's task runs on its channel's event loop, as does its Redis connection.
                let executor = executors.executor(for: connection.channel.eventLoop)
                group.addTask(executorPreference: executor) { [limits, services, logger] in
                    services.statistics.connectionOpened()
                    await Self.serve(
                        connection, ticket: ticket, services: services, logger: logger,
                        identifyTimeout: TimeAmount(limits.identifyTimeout))
                    ticket.leave()
                    services.statistics.connectionClosed()
                }
            }
        }
    }

    /// Tells a connection over the limit that the server is full, instead of the greeting, and closes it.
    private static func refuse(_ connection: Connection) async {
        try? await connection.executeThenClose { _, outbound in
            try await outbound.write(
                Response.error(.unavailable, "too many connections").encoded(allocator: connection.channel.allocator))
        }
    }

    /// Runs one connection to its end; never throws, so one connection cannot take the server down.
    private static func serve(
        _ connection: Connection, ticket: ConnectionTicket, services: BoxOfficeServices, logger baseLogger: Logger,
        identifyTimeout: TimeAmount
    ) async {
        var logger = baseLogger
        logger[metadataKey: "peer"] = "\(connection.channel.remoteAddress?.description ?? "?")"
        let allocator = connection.channel.allocator
        let eventLoop = connection.channel.eventLoop
        guard
            let mailbox = try? await eventLoop.submit({
                ConnectionInbox.Mailbox(
                    try connection.channel.pipeline.syncOperations.handler(type: ConnectionInbox.self),
                    eventLoop: eventLoop)
            }).get()
        else {
            logger.debug("the connection closed before it could be served")
            // Closed through the async channel: one dropped without it stops the daemon (NIO's writer traps).
            try? await connection.executeThenClose { _, _ in }
            return
        }
        let identifyTimer = eventLoop.scheduleTask(in: identifyTimeout) { mailbox.post(.identifyDeadline) }
        var conversation = KioskConversation(
            services: services, ticket: ticket, logger: logger,
            timer: DeadlineTimer(eventLoop: eventLoop) { mailbox.post($0) },
            seatEvents: { mailbox.post(seatEvent: $0) })
        do {
            try await connection.executeThenClose { inbound, outbound in
                func send(_ line: String) async throws {
                    try await outbound.write(Response(final: line).encoded(allocator: allocator))
                }
                try await send(Wire.greeting)
                do {
                    try await withGracefulShutdownHandler {
                        for try await input in inbound {
                            // A request not begun when the shutdown began is not answered (docs/PROTOCOL.md).
                            if mailbox.isShuttingDown {
                                try await send(Self.shutdownEvent)
                                return
                            }
                            switch input {
                            case .line(let line):
                                let response = await conversation.respond(to: line.readableBytesView)
                                try await outbound.write(response.encoded(allocator: allocator))
                                if response.closesConnection { return }
                            case .timer(.sessionDeadline(let session)):
                                if let event = await conversation.deadlineReached(for: session) {
                                    try await send(event)
                                }
                            case .timer(.identifyDeadline):
                                if conversation.phase.kiosk == nil {
                                    logger.notice("closing a connection that did not identify its kiosk in time")
                                    return
                                }
                            case .seatEvent(let line):
                                try await send(line)
                                for folded in mailbox.tookSeatEvent() { try await send(folded) }
                            case .shutdown:
                                break  // seen above, before the switch
                            }
                        }
                    } onGracefulShutdown: {
                        mailbox.postShutdown()
                    }
                } catch is ByteToMessageDecoderError.PayloadTooLargeError {
                    try await send(WireError(.lineTooLong).line)
                }
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
        conversation.connectionEnded()
        identifyTimer.cancel()
    }
}

/// Closes a connection when the IdleStateHandler before it reports that nothing was read for the idle timeout.
final class IdleConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

extension TimeAmount {
    /// The same length of time as a `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
