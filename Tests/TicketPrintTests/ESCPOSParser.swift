import Testing

/// Reads ESC/POS bytes back: the commands in order, the printed lines, and the QR code function's stored data. It
/// knows only the commands a receipt may use, and fails on any other byte below 0x20.
struct ESCPOSParser {
    /// A command, by its bytes up to its parameters: `ESC @` is `[0x1B, 0x40]`.
    struct Command: Equatable {
        var name: [UInt8]
        var parameters: [UInt8]
    }

    private(set) var commands: [Command] = []
    private(set) var lines: [String] = []
    /// The data of each `GS ( k` store (cn 49, fn 80), in order.
    private(set) var qrData: [[UInt8]] = []
    /// The QR function numbers called (fn), in order.
    private(set) var qrFunctions: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        var index = 0
        var line: [UInt8] = []
        func take(_ count: Int) throws -> [UInt8] {
            try #require(index + count <= bytes.count, "a command is cut off at byte \(index)")
            defer { index += count }
            return Array(bytes[index..<(index + count)])
        }
        while index < bytes.count {
            let byte = try take(1)[0]
            switch byte {
            case 0x0A:
                lines.append(String(decoding: line, as: UTF8.self))
                line = []
            case 0x20...0x7E:
                line.append(byte)
            case 0x1B:
                let name = try take(1)[0]
                let count: Int
                switch name {
                case 0x40: count = 0  // ESC @
                case 0x45, 0x61, 0x64: count = 1  // ESC E n, ESC a n, ESC d n
                default: throw ParseError("unknown ESC \(name)")
                }
                commands.append(Command(name: [0x1B, name], parameters: try take(count)))
            case 0x1D:
                let name = try take(1)[0]
                switch name {
                case 0x21:  // GS ! n
                    commands.append(Command(name: [0x1D, name], parameters: try take(1)))
                case 0x56:  // GS V m [n]
                    let mode = try take(1)
                    commands.append(Command(name: [0x1D, name], parameters: mode + (mode[0] >= 65 ? try take(1) : [])))
                case 0x28:  // GS ( k pL pH cn fn ...
                    let header = try take(3)
                    try #require(header[0] == 0x6B, "GS ( \(header[0]) is not GS ( k")
                    let count = Int(header[1]) + Int(header[2]) * 256
                    let body = try take(count)
                    try #require(body.count >= 2 && body[0] == 49, "GS ( k for a symbol other than QR")
                    qrFunctions.append(body[1])
                    if body[1] == 80 {
                        try #require(body.count >= 3 && body[2] == 48, "GS ( k store with m other than 48")
                        qrData.append(Array(body[3...]))
                    }
                    commands.append(Command(name: [0x1D, 0x28, 0x6B], parameters: body))
                default: throw ParseError("unknown GS \(name)")
                }
            default:
                throw ParseError("a stray byte \(byte) at \(index - 1)")
            }
        }
        try #require(line.isEmpty, "text after the last line feed: \(line)")
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
