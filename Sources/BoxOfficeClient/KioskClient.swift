import NIOCore
import NIOExtras
import NIOPosix

/// One kiosk connection speaking the BoxOffice line protocol (docs/PROTOCOL.md): send a request, read its reply;
/// `EVENT` lines that arrive between replies are kept in ``events``.
///
/// `@unchecked Sendable`: a client is used by one task at a time (each kiosk loop has its own), and the iterator it
/// keeps is only touched inside `nextLine`.
public final class KioskClient: @unchecked Sendable {
    /// One answer: its data lines, and the final `OK`/`ERR` line.
    public struct Reply: Sendable, CustomStringConvertible {
        /// The data lines.
        public let data: [String]
        /// The final line.
        public let final: String

        /// True when the final line starts with `OK`.
        public var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }
        public var description: String { (data + [final]).joined(separator: "\n") }
    }

    private let channel: any Channel
    private var iterator: AsyncThrowingStream<[String], any Error>.AsyncIterator
    private var pending: [String] = []
    private var pendingIndex = 0
    /// `EVENT` lines received between replies, oldest first.
    public private(set) var events: [String] = []
    /// The greeting line.
    public private(set) var greeting = ""

    private init(channel: any Channel, lines: AsyncThrowingStream<[String], any Error>) {
        self.channel = channel
        self.iterator = lines.makeAsyncIterator()
    }

    /// Connects and reads the greeting.
    /// - Parameter localHost: the address to connect from (such as `127.0.0.2`, any of loopback's), to stand for
    ///   another machine; by default the system's choice.
    public static func connect(host: String = "127.0.0.1", port: Int, from localHost: String? = nil) async throws
        -> KioskClient
    {
        let (lines, sink) = AsyncThrowingStream<[String], any Error>.makeStream()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let localHost { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localHost, port: 0)) }
        let channel =
            try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(LineCollector(sink: sink))
                }
            }
            .connect(host: host, port: port).get()
        let client = KioskClient(channel: channel, lines: lines)
        client.greeting = try await client.nextLine() ?? ""
        return client
    }

    /// Sends one request line and reads its reply; `EVENT` lines before the reply go to ``events``.
    @discardableResult
    public func send(_ line: String) async throws -> Reply {
        try await sendRaw(Array((line + "\n").utf8))
        return try await readReply()
    }

    /// Writes bytes as they are, with no line ending added.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Reads lines up to and including the next final line.
    public func readReply() async throws -> Reply {
        var data: [String] = []
        while let line = try await nextLine() {
            if line.hasPrefix("EVENT ") && data.isEmpty {
                events.append(line)
            } else if line == "OK" || line.hasPrefix("OK ") || line.hasPrefix("ERR ") {
                return Reply(data: data, final: line)
            } else {
                data.append(line)
            }
        }
        throw ChannelError.eof
    }

    /// Waits for the next `EVENT` line, giving up (and closing the connection) after `timeout`.
    public func nextEvent(within timeout: TimeAmount) async throws -> String? {
        if !events.isEmpty { return events.removeFirst() }
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer { timer.cancel() }
        return try await nextLine()
    }

    /// Reads one line; nil at end of stream.
    public func nextLine() async throws -> String? {
        while pendingIndex == pending.count {
            guard let batch = try await iterator.next() else { return nil }
            pending = batch
            pendingIndex = 0
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// True once the server has closed the connection (reads until end of stream).
    public func isClosedByServer() async -> Bool {
        do {
            while try await nextLine() != nil {}
            return true
        } catch {
            return true
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }
}

/// Passes framed lines on to the client's stream a reply at a time (data lines are gathered until the final line),
/// so that a reply of a thousand lines costs one hand-over, not a thousand; ends the stream when the connection
/// closes.
private final class LineCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let sink: AsyncThrowingStream<[String], any Error>.Continuation
    private var gathered: [String] = []

    init(sink: AsyncThrowingStream<[String], any Error>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = String(buffer: unwrapInboundIn(data))
        gathered.append(line)
        if line.hasPrefix("OK") || line.hasPrefix("ERR ") || line.hasPrefix("EVENT ") || line.hasPrefix("HELLO ") {
            sink.yield(gathered)
            gathered = []
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !gathered.isEmpty { sink.yield(gathered) }
        sink.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        sink.finish(throwing: error)
        context.close(promise: nil)
    }
}
