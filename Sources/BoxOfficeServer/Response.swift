import KioskProtocol
import NIOCore

/// The lines answering one request: data lines, then exactly one final `OK` or `ERR` line.
struct Response {
    /// Data lines, already sanitized.
    var data: [String] = []
    /// Data lines already written as LF-terminated bytes, sent before `data`: for long listings such as SEATS,
    /// which would otherwise cost a string per line.
    var encodedData: ByteBuffer?
    /// The final line.
    var final: String
    /// True when the connection closes after this response.
    var closesConnection = false

    /// `OK[ <text>]` after the data lines.
    static func ok(_ text: String? = nil, data: [String] = []) -> Response {
        Response(data: data, final: text.map { "OK \($0)" } ?? "OK")
    }

    /// `ERR <CODE>[ <detail>]`.
    static func error(_ error: WireError) -> Response {
        Response(final: error.line)
    }

    /// `ERR <CODE>[ <detail>]`.
    static func error(_ code: ErrorCode, _ detail: String? = nil) -> Response {
        Response(final: WireError(code, detail).line)
    }

    /// The response as bytes, one LF-terminated line each.
    func encoded(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(
            capacity: data.reduce(final.utf8.count + 1 + (encodedData?.readableBytes ?? 0)) { $0 + $1.utf8.count + 1 })
        if var encodedData { buffer.writeBuffer(&encodedData) }
        for line in data {
            buffer.writeString(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        buffer.writeString(final)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }
}
