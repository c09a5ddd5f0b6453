import NIOCore

/// Runs a task's jobs on one NIO event loop: a kiosk connection's task, run with this as its executor preference,
/// reads its requests, calls Redis on the same loop's Redis connection and writes its replies without ever
/// changing threads (each change costs a wake-up and cold caches).
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    let eventLoop: any EventLoop

    /// An executor for `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One ``EventLoopTaskExecutor`` per loop of a group, made once.
struct EventLoopTaskExecutors: Sendable {
    private let executors: [EventLoopTaskExecutor]

    /// Executors for every loop of `group`.
    init(_ group: any EventLoopGroup) {
        executors = group.makeIterator().map(EventLoopTaskExecutor.init)
    }

    /// The executor of `eventLoop`; nil for a loop outside the group.
    func executor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor? {
        executors.first { $0.eventLoop === eventLoop }
    }
}
