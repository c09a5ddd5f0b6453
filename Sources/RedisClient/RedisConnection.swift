import NIOCore

/// One open TCP connection to Redis, shared by every caller: pipelines from many tasks interleave on it.
struct RedisConnection: Sendable {
    let channel: any Channel

    /// Sends `commands` in one write and completes with their replies in order.
    ///
    /// If the replies do not all arrive within `timeout`, the connection is closed: every pipeline waiting on it
    /// fails with ``RedisError/connectionLost``, and the client opens a fresh connection for the next call.
    func send(_ commands: [RedisCommand], timeout: TimeAmount) -> EventLoopFuture<[RedisReply]> {
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: [RedisReply].self)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(RedisError.connectionLost)
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(RedisError.connectionLost) }
        channel.writeAndFlush(RedisPipeline(commands: commands, promise: promise), promise: written)
        return promise.futureResult
    }
}
