import BoxOfficeCore
import NIOCore

/// Wakes a connection's loop when its session's deadline passes, by yielding the session id into a stream the
/// loop reads between requests, so that `EVENT EXPIRED` never lands inside a response.
struct DeadlineTimer {
    private let eventLoop: any EventLoop
    private let continuation: AsyncStream<SessionID>.Continuation
    private var scheduled: Scheduled<Void>?

    /// Creates a timer that yields into `continuation`, scheduled on `eventLoop`.
    init(eventLoop: any EventLoop, continuation: AsyncStream<SessionID>.Continuation) {
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Replaces any pending wake-up with one for `session` after `milliseconds`.
    mutating func schedule(_ session: SessionID, inMilliseconds milliseconds: Int) {
        scheduled?.cancel()
        let continuation = self.continuation
        scheduled = eventLoop.scheduleTask(in: .milliseconds(Int64(max(milliseconds, 0)) + 20)) {
            continuation.yield(session)
        }
    }

    /// Cancels any pending wake-up.
    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
