import BoxOfficeCore
import NIOCore
import Synchronization

/// Something a connection's timers tell its loop, between requests.
enum TimerEvent: Sendable {
    /// The open session's deadline may have passed.
    case sessionDeadline(SessionID)
    /// The connection's time to identify its kiosk is over.
    case identifyDeadline
}

/// Wakes a connection's loop when its session's deadline passes, by posting an event the loop reads between
/// requests, so that `EVENT EXPIRED` never lands inside a response.
///
/// Moving the deadline later, as every HOLD does, cancels nothing: NIO finds a task to cancel by scanning its event
/// loop's whole timer heap, which holds a timer of every open connection, so a cancel per HOLD made idle connections
/// slow down the busy ones. The wake-up already scheduled fires, finds the deadline moved, and schedules itself again
/// for the rest. Only a deadline moved earlier cancels (a resumed session can be shorter than the one it replaces).
final class DeadlineTimer: Sendable {
    private struct State {
        /// When the session's deadline passes, and which session's; nil when no session is timed.
        var deadline: (session: SessionID, at: NIODeadline)?
        /// The wake-up on the event loop, and when it fires.
        var wakeUp: (task: Scheduled<Void>, at: NIODeadline)?
    }

    /// Added to each deadline, so that the wake-up comes after Redis's deadline rather than just before it.
    private static let margin = TimeAmount.milliseconds(20)

    private let eventLoop: any EventLoop
    private let post: @Sendable (TimerEvent) -> Void
    private let state = Mutex(State())

    /// Creates a timer scheduled on `eventLoop` that hands its events to `post`.
    init(eventLoop: any EventLoop, post: @escaping @Sendable (TimerEvent) -> Void) {
        self.eventLoop = eventLoop
        self.post = post
    }

    /// Sets the deadline of `session` to `milliseconds` from now, replacing any other.
    func schedule(_ session: SessionID, inMilliseconds milliseconds: Int) {
        let deadline = NIODeadline.now() + .milliseconds(Int64(max(milliseconds, 0))) + Self.margin
        let superseded = state.withLock { state -> Scheduled<Void>? in
            state.deadline = (session, deadline)
            if let wakeUp = state.wakeUp, wakeUp.at <= deadline { return nil }
            let superseded = state.wakeUp?.task
            state.wakeUp = (scheduleWakeUp(at: deadline), deadline)
            return superseded
        }
        superseded?.cancel()
    }

    /// Forgets the deadline; a wake-up already scheduled finds nothing to do.
    func cancel() {
        state.withLock { $0.deadline = nil }
    }

    private func scheduleWakeUp(at deadline: NIODeadline) -> Scheduled<Void> {
        eventLoop.scheduleTask(deadline: deadline) { [self] in wakeUp() }
    }

    private func wakeUp() {
        let due = state.withLock { state -> SessionID? in
            state.wakeUp = nil
            guard let deadline = state.deadline else { return nil }
            guard deadline.at <= .now() else {
                state.wakeUp = (scheduleWakeUp(at: deadline.at), deadline.at)
                return nil
            }
            state.deadline = nil
            return deadline.session
        }
        if let due { post(.sessionDeadline(due)) }
    }
}
