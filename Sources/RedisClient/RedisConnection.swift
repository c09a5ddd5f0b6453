import NIOCore

/// One open TCP connection to Redis, shared by every caller: pipelines from many tasks interleave on it.
struct RedisConnection: Sendable {
    let channel: any Channel

    /// Sends `commands` together and completes with their replies in order.
    ///
    /// If the replies do not all arrive within `timeout`, the connection is closed: every pipeline waiting on it
    /// fails with ``RedisError/connectionLost``, and the client opens a fresh connection for the next call.
    func send(_ commands: [RedisCommand], timeout: TimeAmount) -> EventLoopFuture<[RedisReply]> {
        let promise = channel.eventLoop.makePromise(of: [RedisReply].self)
        // A pipeline that never reaches the handler (the connection closed meanwhile) fails through its write.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(RedisError.connectionLost) }
        channel.write(RedisPipeline(commands: commands, promise: promise, timeout: timeout), promise: written)
        return promise.futureResult
    }
}
