import BoxOfficeCore
import NIOCore

/// Something a connection's timers tell its loop, between requests.
enum TimerEvent: Sendable {
    /// The open session's deadline may have passed.
    case sessionDeadline(SessionID)
    /// The connection's time to identify its kiosk is over.
    case identifyDeadline
}

/// Wakes a connection's loop when its session's deadline passes, by yielding into a stream the loop reads between
/// requests, so that `EVENT EXPIRED` never lands inside a response.
struct DeadlineTimer {
    private let eventLoop: any EventLoop
    private let continuation: AsyncStream<TimerEvent>.Continuation
    private var scheduled: Scheduled<Void>?

    /// Creates a timer that yields into `continuation`, scheduled on `eventLoop`.
    init(eventLoop: any EventLoop, continuation: AsyncStream<TimerEvent>.Continuation) {
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Replaces any pending wake-up with one for `session` after `milliseconds`.
    mutating func schedule(_ session: SessionID, inMilliseconds milliseconds: Int) {
        scheduled?.cancel()
        let continuation = self.continuation
        scheduled = eventLoop.scheduleTask(in: .milliseconds(Int64(max(milliseconds, 0)) + 20)) {
            continuation.yield(.sessionDeadline(session))
        }
    }

    /// Cancels any pending wake-up.
    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
