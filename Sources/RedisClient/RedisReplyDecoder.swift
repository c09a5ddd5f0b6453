import CHiredis
import NIOCore

/// Turns the bytes Redis sends into ``RedisReply`` values, with hiredis's reader doing the RESP parsing.
///
/// hiredis accepts replies fed in arbitrary pieces, so this handler feeds every read as it comes and passes on
/// each reply as soon as it is complete. It lives on one channel's event loop and is never shared.
final class RedisReplyDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = RedisReply

    private var reader: UnsafeMutablePointer<redisReader>?

    init() {
        reader = redisReaderCreate()
    }

    deinit {
        if let reader { redisReaderFree(reader) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let reader else { return }
        let fed = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard fed == REDIS_OK else { return fail(context: context) }
        while true {
            var parsed: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &parsed) == REDIS_OK else { return fail(context: context) }
            guard let parsed else { return }
            let reply = RedisReply(parsed.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(parsed)
            context.fireChannelRead(wrapInboundOut(reply))
        }
    }

    private func fail(context: ChannelHandlerContext) {
        let message = withUnsafeBytes(of: reader?.pointee.errstr) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        redisReaderFree(reader)
        reader = nil
        context.fireErrorCaught(RedisError.protocolViolation(message))
        context.close(promise: nil)
    }
}
