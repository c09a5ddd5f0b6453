import BoxOfficeCore
import NIOCore
import NIOPosix
import Testing

@testable import BoxOfficeServer

@Suite("The session deadline timer: moved later, moved earlier, cancelled")
struct DeadlineTimerTests {
    private let session = SessionID("0123456789abcdef0123")!
    private let other = SessionID("fedcba9876543210fedc")!

    /// A timer on a real event loop, and the stream its events arrive in.
    private func timer() -> (DeadlineTimer, AsyncStream<TimerEvent>) {
        let (events, continuation) = AsyncStream.makeStream(of: TimerEvent.self)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        return (DeadlineTimer(eventLoop: eventLoop) { continuation.yield($0) }, events)
    }

    private func next(_ events: AsyncStream<TimerEvent>) async -> (SessionID?, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        var iterator = events.makeAsyncIterator()
        guard case .sessionDeadline(let id) = await iterator.next() else { return (nil, clock.now - start) }
        return (id, clock.now - start)
    }

    @Test("A deadline moved later fires at the later time; moved earlier, at the earlier time")
    func moved() async {
        let (timer, events) = timer()
        timer.schedule(session, inMilliseconds: 100)
        timer.schedule(session, inMilliseconds: 600)
        let (later, afterLater) = await next(events)
        #expect(later == session)
        #expect(afterLater >= .milliseconds(600), "the first wake-up found the deadline moved and waited on")

        timer.schedule(session, inMilliseconds: 5000)
        timer.schedule(other, inMilliseconds: 100)
        let (earlier, afterEarlier) = await next(events)
        #expect(earlier == other, "the last deadline set wins")
        #expect(afterEarlier < .milliseconds(4000))
    }

    @Test("A cancelled deadline never fires; a later one still does")
    func cancelled() async {
        let (timer, events) = timer()
        timer.schedule(other, inMilliseconds: 50)
        timer.cancel()
        timer.schedule(session, inMilliseconds: 400)
        let (fired, after) = await next(events)
        #expect(fired == session)
        #expect(after >= .milliseconds(400))
    }
}
