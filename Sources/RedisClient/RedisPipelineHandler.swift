import NIOCore

/// A batch of commands written together, the promise of their replies in order, and how long they may take.
struct RedisPipeline {
    let commands: [RedisCommand]
    let promise: EventLoopPromise<[RedisReply]>
    let timeout: TimeAmount
}

/// Writes pipelines to Redis and matches the replies that come back, in order, to their promises.
///
/// Many callers share one connection: each pipeline's commands go out together and its promise waits for exactly
/// as many replies. A pipeline written while Redis owes the connection no reply is flushed at once, so that Redis
/// never sits idle waiting for the end of a tick; pipelines written while it works on earlier ones share one flush
/// (one `write` system call) at the end of the event loop's tick, so a loop serving many kiosks sends their commands
/// to Redis in batches. When the connection closes, every pipeline still waiting fails with
/// ``RedisError/connectionLost``; so does every pipeline once the oldest has waited past its timeout, which one timer
/// per connection checks (rather than a timer scheduled and cancelled per pipeline).
final class RedisPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisReply
    typealias OutboundIn = RedisPipeline
    typealias OutboundOut = ByteBuffer

    /// How often the oldest waiting pipeline's deadline is checked: a pipeline times out within this much of its
    /// timeout.
    static let deadlineCheckInterval = TimeAmount.milliseconds(100)

    private struct Waiting {
        let expected: Int
        var replies: [RedisReply]
        let promise: EventLoopPromise<[RedisReply]>
        let deadline: NIODeadline
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closed = false
    private var flushScheduled = false
    private var deadlineCheck: RepeatedTask?

    func handlerAdded(context: ChannelHandlerContext) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadlineCheck = context.value.eventLoop.scheduleRepeatedTask(
            initialDelay: Self.deadlineCheckInterval, delay: Self.deadlineCheckInterval
        ) { _ in
            handler.value.closeIfOverdue(context: context.value)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let pipeline = unwrapOutboundIn(data)
        guard !closed else {
            pipeline.promise.fail(RedisError.connectionLost)
            promise?.fail(RedisError.connectionLost)
            return
        }
        guard !pipeline.commands.isEmpty else {
            pipeline.promise.succeed([])
            promise?.succeed()
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * pipeline.commands.count)
        for command in pipeline.commands { command.encode(into: &buffer) }
        let redisIdle = waiting.isEmpty
        waiting.append(
            Waiting(
                expected: pipeline.commands.count, replies: [], promise: pipeline.promise,
                deadline: .now() + pipeline.timeout))
        context.write(wrapOutboundOut(buffer), promise: promise)
        if redisIdle {
            context.flush()
        } else {
            scheduleFlush(context: context)
        }
    }

    /// Flushes once the pipelines written in this tick of the event loop are all written.
    private func scheduleFlush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.value.eventLoop.execute {
            handler.value.flushScheduled = false
            if !handler.value.closed { context.value.flush() }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard !waiting.isEmpty else {
            // Redis never speaks unasked on a connection without subscriptions: treat it as a broken stream.
            context.fireErrorCaught(RedisError.protocolViolation("unexpected reply"))
            context.close(promise: nil)
            return
        }
        waiting[waiting.startIndex].replies.append(reply)
        if waiting[waiting.startIndex].replies.count == waiting[waiting.startIndex].expected {
            let done = waiting.removeFirst()
            done.promise.succeed(done.replies)
        }
    }

    /// Gives the connection up when the oldest pipeline waited past its deadline: replies come in order, so every
    /// later one waits behind it.
    private func closeIfOverdue(context: ChannelHandlerContext) {
        guard let oldest = waiting.first, oldest.deadline < .now() else { return }
        failAll()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll()
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll()
    }

    private func failAll() {
        closed = true
        deadlineCheck?.cancel()
        deadlineCheck = nil
        while let next = waiting.popFirst() {
            next.promise.fail(RedisError.connectionLost)
        }
    }
}
