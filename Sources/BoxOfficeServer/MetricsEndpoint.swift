import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle
import Synchronization

/// A tiny HTTP/1.1 server for Prometheus: `GET /metrics` answers the registry in the text exposition format,
/// any other path 404, any other method on `/metrics` 405. One request per connection, at most
/// ``maximumRequestBytes`` of it, and a connection that sends nothing for ``idleTimeout`` is closed.
public final class MetricsEndpoint: Service {
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The most bytes a request (line, headers and body) may have; a longer one gets 413 and the connection
    /// closes. A Prometheus scrape is a few hundred bytes.
    public static let maximumRequestBytes = 8192
    /// How long a connection may send nothing before it is closed.
    public static let idleTimeout = TimeAmount.seconds(10)
    /// The most connections served at once; more are closed at once.
    public static let maximumConnections = 64

    private let listener: NIOAsyncChannel<Connection, Never>
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let openConnections = Atomic<Int>(0)

    /// The address the endpoint listens on.
    public let localAddress: SocketAddress

    private init(listener: NIOAsyncChannel<Connection, Never>, registry: PrometheusCollectorRegistry, logger: Logger)
        throws
    {
        self.listener = listener
        self.registry = registry
        self.logger = logger
        guard let address = listener.channel.localAddress else { throw ChannelError.unknownLocalAddress }
        self.localAddress = address
    }

    /// A Prometheus factory over `registry` with command-duration buckets fit for answers that take
    /// milliseconds: 100 µs to 10 s.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Statistics.commandDurationLabel] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        return factory
    }

    /// Binds the listening socket.
    /// - Parameters:
    ///   - host: the address to listen on, such as `127.0.0.1`.
    ///   - port: the port; 0 picks a free one.
    ///   - registry: the metrics to serve.
    public static func bind(
        host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MetricsEndpoint {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try pipeline.addHandler(IdleConnectionCloser())
                    try pipeline.addHandler(RequestSizeLimit(maximumBytes: maximumRequestBytes))
                    try pipeline.addHandler(HTTPResponseEncoder())
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try pipeline.addHandler(HTTPServerProtocolErrorHandler())
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return try MetricsEndpoint(listener: listener, registry: registry, logger: logger)
    }

    /// Serves scrapes until the task is cancelled or a graceful shutdown begins.
    public func run() async throws {
        logger.info("serving metrics", metadata: ["address": "\(localAddress)"])
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections.cancelOnGracefulShutdown() {
                    let open = openConnections.add(1, ordering: .relaxed).newValue
                    group.addTask { [self] in
                        if open <= Self.maximumConnections {
                            await serve(connection)
                        } else {
                            try? await connection.executeThenClose { _, _ in }
                        }
                        openConnections.subtract(1, ordering: .relaxed)
                    }
                }
            }
        }
    }

    /// Answers one request and closes the connection; never throws.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                    case .body:
                        continue
                    case .end:
                        guard let head else { return }
                        try await respond(to: head, outbound)
                        return
                    }
                }
            }
        } catch {
            logger.debug("metrics connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    /// `GET /metrics` → 200 with the exposition; another path → 404; another method on `/metrics` → 405.
    private func respond(to request: HTTPRequestHead, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>)
        async throws
    {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var headers = HTTPHeaders([("connection", "close")])
        let status: HTTPResponseStatus
        let body: ByteBuffer
        if path != "/metrics" {
            (status, body) = (.notFound, ByteBuffer(string: "not found: try GET /metrics\n"))
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        } else if request.method != .GET {
            (status, body) = (.methodNotAllowed, ByteBuffer(string: "method not allowed: only GET\n"))
            headers.add(name: "allow", value: "GET")
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        } else {
            (status, body) = (.ok, ByteBuffer(bytes: registry.emitToBuffer()))
            headers.add(name: "content-type", value: "text/plain; version=0.0.4; charset=utf-8")
        }
        headers.add(name: "content-length", value: String(body.readableBytes))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(body))) }
        try await outbound.write(.end(nil))
    }
}

/// Counts the bytes a connection sends; past the limit it answers `413 Content Too Large` straight onto the
/// socket, closes its sending side and drops all further input, so no request can make the HTTP decoder buffer
/// without bound.
final class RequestSizeLimit: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var remaining: Int
    private var refused = false

    init(maximumBytes: Int) {
        self.remaining = maximumBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        remaining -= unwrapInboundIn(data).readableBytes
        guard remaining < 0 else {
            context.fireChannelRead(data)
            return
        }
        refused = true
        let response = "HTTP/1.1 413 Content Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
        // Only the sending side: what the client still sends is read and dropped, so closing never resets the
        // connection before the client has read the answer. The idle timeout or the client's close ends it.
        context.close(mode: .output, promise: nil)
    }
}
