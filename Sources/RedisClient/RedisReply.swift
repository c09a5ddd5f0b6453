import CHiredis

/// One reply from Redis, decoded from RESP2.
///
/// An error reply is data, not a thrown error: in a pipeline each command succeeds or fails on its own, and the
/// caller decides what a failed command means.
public enum RedisReply: Sendable, Equatable {
    /// A simple status such as `OK`.
    case status(String)
    /// An error reply such as `ERR wrong number of arguments`.
    case error(String)
    /// An integer reply.
    case integer(Int)
    /// A bulk string.
    case bulk(String)
    /// The nil bulk string or nil array.
    case null
    /// An array of replies.
    case array([RedisReply])
}

extension RedisReply {
    /// The reply as text: a bulk string, a status, or an integer written in decimal; nil otherwise.
    public var string: String? {
        switch self {
        case .bulk(let text), .status(let text): text
        case .integer(let value): String(value)
        case .error, .null, .array: nil
        }
    }

    /// The reply as an integer: an integer reply, or a bulk string holding one; nil otherwise.
    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .bulk(let text): Int(text)
        case .status, .error, .null, .array: nil
        }
    }

    /// The elements of an array reply; nil for any other reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// A flat field/value array (`HGETALL`, a stream entry's fields) as a dictionary; the first of a repeated field
    /// wins, and anything that is not such an array is empty.
    public var fields: [String: String] {
        let flat = (array ?? []).compactMap(\.string)
        return Dictionary(
            stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) },
            uniquingKeysWith: { first, _ in first })
    }

    /// Redis's clock in Unix milliseconds, read from a `TIME` reply; nil for any other reply.
    public var milliseconds: Int? {
        guard let parts = array?.compactMap(\.integer), parts.count == 2 else { return nil }
        return parts[0] * 1000 + parts[1] / 1000
    }

    /// The message of an error reply; nil for any other reply.
    public var errorMessage: String? {
        if case .error(let message) = self { message } else { nil }
    }

    /// Copies a reply that hiredis parsed; the caller still owns and frees `reply`.
    init(_ reply: UnsafePointer<redisReply>) {
        let pointee = reply.pointee
        func text() -> String {
            guard let characters = pointee.str else { return "" }
            let bytes = UnsafeRawBufferPointer(start: characters, count: pointee.len)
            return String(decoding: bytes, as: UTF8.self)
        }
        switch pointee.type {
        case REDIS_REPLY_STRING: self = .bulk(text())
        case REDIS_REPLY_STATUS: self = .status(text())
        case REDIS_REPLY_ERROR: self = .error(text())
        case REDIS_REPLY_INTEGER: self = .integer(Int(pointee.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(pointee.elements)
            for index in 0..<pointee.elements {
                if let element = pointee.element[index] {
                    elements.append(RedisReply(element))
                } else {
                    elements.append(.null)
                }
            }
            self = .array(elements)
        default: self = .null
        }
    }
}
