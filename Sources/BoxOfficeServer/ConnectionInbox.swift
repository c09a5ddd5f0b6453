import NIOCore
import Synchronization

/// The last handler of a kiosk connection's pipeline: passes the kiosk's lines on as ``ConnectionInput/line(_:)``,
/// and lets timers, seat watches and the shutdown add their events to the same stream through a ``Mailbox``.
///
/// One task per connection reads that one stream, so no event lands inside a response and no connection needs
/// helper tasks to merge several streams (each task's stack is kilobytes, and idle connections are many).
final class ConnectionInbox: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ConnectionInput

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(.line(unwrapInboundIn(data))))
    }

    fileprivate func deliver(_ input: ConnectionInput) {
        guard let context else { return }
        context.fireChannelRead(wrapInboundOut(input))
        context.fireChannelReadComplete()
    }

    /// Where a connection's events are posted from any thread.
    struct Mailbox: Sendable {
        private let inbox: NIOLoopBound<ConnectionInbox>
        private let seatEvents = SeatEventBacklog()
        private let shuttingDown = ShutdownFlag()

        /// Whether a graceful shutdown began.
        private final class ShutdownFlag: Sendable {
            let value = Atomic(false)
        }

        /// A mailbox for `inbox`, which must already be in its channel's pipeline; called on its `eventLoop`.
        init(_ inbox: ConnectionInbox, eventLoop: any EventLoop) {
            self.inbox = NIOLoopBound(inbox, eventLoop: eventLoop)
        }

        /// Posts a timer's event.
        func post(_ event: TimerEvent) {
            deliver(.timer(event))
        }

        /// Posts a seat event; past ``SeatEventBacklog/limit`` waiting, it is folded into the latest seat states.
        func post(seatEvent line: String) {
            if seatEvents.admit(line) { deliver(.seatEvent(line)) }
        }

        /// Called by the loop for each seat event it takes: the folded events to send after it, if any.
        func tookSeatEvent() -> [String] {
            seatEvents.took()
        }

        /// Marks the shutdown begun and wakes the loop.
        func postShutdown() {
            shuttingDown.value.store(true, ordering: .relaxed)
            deliver(.shutdown)
        }

        /// Whether a graceful shutdown began: the loop answers no request it has not begun.
        var isShuttingDown: Bool { shuttingDown.value.load(ordering: .relaxed) }

        private func deliver(_ input: ConnectionInput) {
            let inbox = self.inbox
            inbox.eventLoop.execute { inbox.value.deliver(input) }
        }
    }
}
