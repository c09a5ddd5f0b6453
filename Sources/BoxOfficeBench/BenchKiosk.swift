import BoxOfficeClient
import Glibc
import NIOCore
import NIOPosix

/// What the bench needs of a kiosk connection to identify itself and log in: the timed loops use a
/// ``BenchKiosk``, the idle connections a `KioskClient`.
protocol BenchConnection: Sendable {
    /// Connects and reads the greeting.
    static func open(host: String, port: Int) async throws -> Self

    /// Sends one request line; returns its final line.
    func finalLine(of request: String) async throws -> String
}

extension KioskClient: BenchConnection {
    static func open(host: String, port: Int) async throws -> KioskClient {
        try await connect(host: host, port: port)
    }

    func finalLine(of request: String) async throws -> String {
        try await send(request).final
    }
}

/// A kiosk connection for the bench's timed loops. Each reply arrives as the bytes of its data lines and its final
/// line, without a string per line: reading a 960-line SEATS reply costs the bench a scan of its bytes, where
/// `KioskClient` (made for tests, which look at lines) builds a thousand strings, and the bench, not the daemon,
/// became the limit it measured.
///
/// `@unchecked Sendable`: one task uses a connection at a time, and the iterator is only touched in ``send(_:)``.
final class BenchKiosk: BenchConnection, @unchecked Sendable {
    /// One reply: its data lines as bytes, and its final `OK`/`ERR` line.
    struct Reply: Sendable {
        /// The data lines, each ending in LF.
        let data: ByteBuffer
        /// The final line.
        let final: String

        /// True when the final line is `OK` or starts with `OK `.
        var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }

        /// Calls `body` with each data line's bytes, without its LF.
        func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
            data.withUnsafeReadableBytes { bytes in
                var start = 0
                while let end = bytes.firstLineEnd(from: start) {
                    body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end + 1
                }
            }
        }
    }

    private let channel: any Channel
    private var replies: AsyncThrowingStream<Reply, any Error>.AsyncIterator

    private init(channel: any Channel, replies: AsyncThrowingStream<Reply, any Error>) {
        self.channel = channel
        self.replies = replies.makeAsyncIterator()
    }

    static func open(host: String, port: Int) async throws -> BenchKiosk {
        let (replies, sink) = AsyncThrowingStream<Reply, any Error>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyFramer(sink: sink))
                }
            }
            .connect(host: host, port: port).get()
        let kiosk = BenchKiosk(channel: channel, replies: replies)
        _ = try await kiosk.nextReply()  // the greeting
        return kiosk
    }

    /// Sends one request line and reads its reply.
    func send(_ line: String) async throws -> Reply {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await channel.writeAndFlush(buffer)
        return try await nextReply()
    }

    func finalLine(of request: String) async throws -> String {
        try await send(request).final
    }

    private func nextReply() async throws -> Reply {
        guard let reply = try await replies.next() else { throw ChannelError.eof }
        return reply
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close()
    }
}

/// Cuts the byte stream into replies: data lines up to a final line (`OK`, `ERR `, or the greeting `HELLO `).
/// `EVENT` lines between replies are dropped: the bench watches no show, and its sessions do not expire.
private final class ReplyFramer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let sink: AsyncThrowingStream<BenchKiosk.Reply, any Error>.Continuation
    private var pending: ByteBuffer?
    /// Where in `pending` the next line starts (the reply's data lines come before it).
    private var lineStart = 0

    init(sink: AsyncThrowingStream<BenchKiosk.Reply, any Error>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if pending == nil {
            pending = bytes
        } else {
            pending!.writeBuffer(&bytes)
        }
        frame()
    }

    private func frame() {
        while var buffer = pending {
            // Where the reply's final line starts and ends, if it has arrived; EVENT lines before a reply's data
            // are skipped.
            enum Found {
                case final(start: Int, end: Int)
                case event(end: Int)
                case incomplete(scanned: Int)
            }
            let found = buffer.withUnsafeReadableBytes { bytes -> Found in
                var start = lineStart
                while let end = bytes.firstLineEnd(from: start) {
                    let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    if Self.isFinal(line) { return .final(start: start, end: end) }
                    if start == 0, line.starts(with: "EVENT ".utf8) { return .event(end: end) }
                    start = end + 1
                }
                return .incomplete(scanned: start)
            }
            switch found {
            case .incomplete(let scanned):
                lineStart = scanned
                return
            case .event(let end):
                buffer.moveReaderIndex(forwardBy: end + 1)
            case .final(let start, let end):
                let data = buffer.readSlice(length: start)!
                let final = buffer.readString(length: end - start)!
                buffer.moveReaderIndex(forwardBy: 1)
                sink.yield(BenchKiosk.Reply(data: data, final: final))
            }
            pending = buffer.readableBytes > 0 ? buffer : nil
            lineStart = 0
        }
    }

    private static func isFinal(_ line: UnsafeRawBufferPointer) -> Bool {
        line.elementsEqual("OK".utf8) || line.starts(with: "OK ".utf8) || line.starts(with: "ERR ".utf8)
            || line.starts(with: "HELLO ".utf8)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        sink.finish(throwing: error)
        context.close(promise: nil)
    }
}

extension UnsafeRawBufferPointer {
    /// The index of the first LF at or after `start`, found with `memchr`; nil when there is none.
    fileprivate func firstLineEnd(from start: Int) -> Int? {
        guard start < count, let base = baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(UInt8(ascii: "\n")), count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
