/// Reads ESC/POS bytes back, for tests of printed tickets: the commands in order, the printed lines, and the QR code
/// function's stored data. It knows only the commands a receipt may use, and refuses any other byte below 0x20.
public struct ESCPOSReader: Sendable {
    /// A command, by its bytes up to its parameters (`ESC @` is `[0x1B, 0x40]`), and its parameters.
    public struct Command: Hashable, Sendable {
        /// The command's bytes without its parameters.
        public var name: [UInt8]
        /// The parameters that follow.
        public var parameters: [UInt8]

        /// Creates a command.
        public init(name: [UInt8], parameters: [UInt8]) {
            self.name = name
            self.parameters = parameters
        }
    }

    /// Bytes that are not a receipt: what is wrong, and where.
    public struct Malformed: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// `ESC @`.
    public static let initialise = Command(name: [0x1B, 0x40], parameters: [])
    /// `GS V 0`, a full cut.
    public static let cut = Command(name: [0x1D, 0x56], parameters: [0])

    /// The commands, in order.
    public private(set) var commands: [Command] = []
    /// The lines printed (text up to each line feed).
    public private(set) var lines: [String] = []
    /// The lines printed while emphasis (`ESC E 1`) was on.
    public private(set) var emphasisedLines: [String] = []
    /// The data of each `GS ( k` store (cn 49, fn 80), in order.
    public private(set) var qrData: [[UInt8]] = []
    /// The QR code function numbers called (fn), in order.
    public private(set) var qrFunctions: [UInt8] = []

    /// Reads `bytes`.
    /// - Throws: ``Malformed`` at an unknown command, a stray control byte, a command cut off, or text after the
    ///   last line feed.
    public init(_ bytes: [UInt8]) throws {
        var index = 0
        var line: [UInt8] = []
        var emphasis = false
        func take(_ count: Int) throws -> [UInt8] {
            guard index + count <= bytes.count else { throw Malformed(description: "cut off at byte \(index)") }
            defer { index += count }
            return Array(bytes[index..<(index + count)])
        }
        while index < bytes.count {
            let byte = try take(1)[0]
            switch byte {
            case 0x0A:
                lines.append(String(decoding: line, as: UTF8.self))
                if emphasis { emphasisedLines.append(lines[lines.count - 1]) }
                line = []
            case 0x20...0x7E:
                line.append(byte)
            case 0x1B:
                let name = try take(1)[0]
                let count: Int
                switch name {
                case 0x40: count = 0  // ESC @
                case 0x45, 0x61, 0x64: count = 1  // ESC E n, ESC a n, ESC d n
                default: throw Malformed(description: "unknown ESC \(name) at \(index - 2)")
                }
                let parameters = try take(count)
                if name == 0x45 { emphasis = parameters[0] & 1 == 1 }
                commands.append(Command(name: [0x1B, name], parameters: parameters))
            case 0x1D:
                let name = try take(1)[0]
                switch name {
                case 0x21:  // GS ! n
                    commands.append(Command(name: [0x1D, name], parameters: try take(1)))
                case 0x56:  // GS V m, or GS V m n for m 65 and 66
                    let mode = try take(1)
                    commands.append(Command(name: [0x1D, name], parameters: mode + (mode[0] >= 65 ? try take(1) : [])))
                case 0x28:  // GS ( k pL pH cn fn ...
                    let header = try take(3)
                    guard header[0] == 0x6B else { throw Malformed(description: "GS ( \(header[0]) is not GS ( k") }
                    let body = try take(Int(header[1]) + Int(header[2]) * 256)
                    guard body.count >= 2, body[0] == 49 else {
                        throw Malformed(description: "GS ( k for a symbol other than a QR code")
                    }
                    qrFunctions.append(body[1])
                    if body[1] == 80 {
                        guard body.count >= 3, body[2] == 48 else {
                            throw Malformed(description: "a QR code stored with m other than 48")
                        }
                        qrData.append(Array(body[3...]))
                    }
                    commands.append(Command(name: [0x1D, 0x28, 0x6B], parameters: body))
                default: throw Malformed(description: "unknown GS \(name) at \(index - 2)")
                }
            default:
                throw Malformed(description: "a stray byte \(byte) at \(index - 1)")
            }
        }
        guard line.isEmpty else { throw Malformed(description: "text after the last line feed") }
    }
}
