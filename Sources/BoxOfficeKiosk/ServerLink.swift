import KioskUI
import NIOCore
import NIOExtras
import NIOPosix

/// One TCP connection to `boxofficed`: requests go out in order, and each reply is matched with its request
/// (replies come back in order); `EVENT` lines and the end of the connection are passed on as they come.
final class ServerLink: Sendable {
    /// How long the daemon has to say `HELLO` once the TCP connection is up.
    static let greetingTimeout = TimeAmount.seconds(5)
    /// The most data lines one reply may have; a daemon that sends more is treated as broken.
    static let maximumDataLines = 10_000

    /// The connection's number, unique in this process.
    let number: Int
    private let channel: any Channel
    private let router: NIOLoopBound<LineRouter>

    private init(number: Int, channel: any Channel, router: NIOLoopBound<LineRouter>) {
        self.number = number
        self.channel = channel
        self.router = router
    }

    /// Connects and waits for the greeting, at most ``greetingTimeout``; afterwards every reply, event and the end
    /// of the connection are handed to `deliver`.
    /// - Throws: when the connection cannot be made, or the greeting is not `HELLO ...` or does not come in time.
    static func connect(
        host: String, port: Int, number: Int, deliver: @escaping @Sendable (Int, KioskInput) -> Void
    ) async throws -> ServerLink {
        let greeted = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(3))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let router = LineRouter(number: number, greeted: greeted, deliver: deliver)
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: 1 << 20))
                        try channel.pipeline.syncOperations.addHandler(router)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            greeted.fail(error)
            throw error
        }
        // A daemon that accepts but never greets must not leave the kiosk waiting for ever.
        let deadline = channel.eventLoop.scheduleTask(in: greetingTimeout) {
            greeted.fail(ChannelError.connectTimeout(greetingTimeout))
        }
        do {
            try await greeted.futureResult.get()
            deadline.cancel()
        } catch {
            deadline.cancel()
            // Silenced first: a greeting that comes late must not report the end of a connection never handed out.
            try? await channel.eventLoop.submit {
                (try? channel.pipeline.syncOperations.handler(type: LineRouter.self))?.silenced = true
                channel.close(promise: nil)
            }.get()
            throw error
        }
        let router = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: LineRouter.self), eventLoop: channel.eventLoop)
        }.get()
        return ServerLink(number: number, channel: channel, router: router)
    }

    /// Sends a request; its reply comes back through `deliver`.
    func send(_ request: Request) {
        channel.writeAndFlush(request, promise: nil)
    }

    /// Closes the connection without reporting its end.
    func closeSilently() {
        let router = self.router
        let channel = self.channel
        channel.eventLoop.execute {
            router.value.silenced = true
            channel.close(promise: nil)
        }
    }
}

/// Gathers data lines up to their final line and pairs each reply with the oldest unanswered request.
private final class LineRouter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Request
    typealias OutboundOut = ByteBuffer

    let number: Int
    let greeted: EventLoopPromise<Void>
    let deliver: @Sendable (Int, KioskInput) -> Void
    var silenced = false
    private var hasGreeting = false
    private var settled = false
    private var pending: [Request] = []
    private var data: [String] = []

    init(number: Int, greeted: EventLoopPromise<Void>, deliver: @escaping @Sendable (Int, KioskInput) -> Void) {
        self.number = number
        self.greeted = greeted
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var line = String(buffer: unwrapInboundIn(data))
        if line.hasSuffix("\r") { line.removeLast() }
        guard hasGreeting else {
            settled = true
            if line.hasPrefix("HELLO ") {
                hasGreeting = true
                greeted.succeed()
            } else {
                greeted.fail(ChannelError.inputClosed)
                context.close(promise: nil)
            }
            return
        }
        if line.hasPrefix("EVENT "), self.data.isEmpty {
            if !silenced { deliver(number, .event(line)) }
        } else if line == "OK" || line.hasPrefix("OK ") || line.hasPrefix("ERR ") {
            let reply = ServerReply(data: self.data, final: line)
            self.data = []
            guard !pending.isEmpty else { return }
            let request = pending.removeFirst()
            if !silenced { deliver(number, .reply(request, reply)) }
        } else if self.data.count < ServerLink.maximumDataLines {
            self.data.append(line)
        } else {
            // No reply of the protocol is this long: the daemon is broken, or not a daemon.
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(request)
        context.write(wrapOutboundOut(ByteBuffer(string: request.command.line + "\n")), promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !settled { greeted.fail(ChannelError.inputClosed) }
        settled = true
        if hasGreeting, !silenced { deliver(number, .disconnected) }
        silenced = true
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
