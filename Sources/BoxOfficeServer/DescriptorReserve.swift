import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps one file descriptor in reserve for the listening socket.
///
/// When `accept` fails because the process is out of descriptors (`EMFILE`, or `ENFILE` for the whole system), the
/// connection stays in the kernel's queue and the listening socket stays readable, so an event loop would retry
/// `accept` at full speed, and NIO's own accept back-off cannot stop that while a read is pending. Closing the
/// reserve lets the waiting connection be accepted, which ends the pending read; the ``ConnectionRegistry`` turns
/// it away at once, so its descriptor comes free, and NIO's back-off pauses accepting for a second. The reserve is
/// opened again as soon as a descriptor is free. Never in the way while descriptors are to spare.
final class DescriptorReserve: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Channel

    /// How soon after being spent the reserve is taken again.
    static let reopenDelay = TimeAmount.milliseconds(100)
    /// How often running out of descriptors is logged, at most.
    static let warningInterval = TimeAmount.seconds(10)

    private let registry: ConnectionRegistry
    private let logger: Logger
    /// The reserve: an open `/dev/null`, or -1 while spent.
    private(set) var descriptor: CInt
    private var reopening: Scheduled<Void>?
    private var lastWarning: NIODeadline?

    /// Opens the reserve; `registry` hears when it is spent and when it is taken again.
    init(registry: ConnectionRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
        self.descriptor = Self.openReserve()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? IOError, error.errnoCode == EMFILE || error.errnoCode == ENFILE {
            spend(context: context)
        }
        context.fireErrorCaught(error)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        reopening?.cancel()
        reopening = nil
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func spend(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if lastWarning.map({ now - $0 >= Self.warningInterval }) ?? true {
            lastWarning = now
            logger.warning(
                "out of file descriptors: accepting a connection only to shed it; raise LimitNOFILE or lower the limits"
            )
        }
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        registry.setOutOfDescriptors(true)
        scheduleReopen(context: context)
    }

    private func scheduleReopen(context: ChannelHandlerContext) {
        reopening = context.eventLoop.assumeIsolated().scheduleTask(in: Self.reopenDelay) {
            self.reopening = nil
            self.descriptor = Self.openReserve()
            if self.descriptor < 0 {
                self.scheduleReopen(context: context)
            } else {
                self.registry.setOutOfDescriptors(false)
            }
        }
    }

    private static func openReserve() -> CInt {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
