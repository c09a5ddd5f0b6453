import NIOCore

/// A batch of commands written together, and the promise of their replies in order.
struct RedisPipeline {
    let commands: [RedisCommand]
    let promise: EventLoopPromise<[RedisReply]>
}

/// Writes pipelines to Redis and matches the replies that come back, in order, to their promises.
///
/// Many callers share one connection: each pipeline's commands go out in one write and its promise waits for
/// exactly as many replies. When the connection closes, every pipeline still waiting fails with
/// ``RedisError/connectionLost``.
final class RedisPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisReply
    typealias OutboundIn = RedisPipeline
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        let expected: Int
        var replies: [RedisReply]
        let promise: EventLoopPromise<[RedisReply]>
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closed = false

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
        waiting.append(Waiting(expected: pipeline.commands.count, replies: [], promise: pipeline.promise))
        context.write(wrapOutboundOut(buffer), promise: promise)
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
        while let next = waiting.popFirst() {
            next.promise.fail(RedisError.connectionLost)
        }
    }
}
