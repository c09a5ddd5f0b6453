/// Turns the bytes a terminal in raw mode sends into keys: UTF-8 characters, and the escape sequences of the
/// arrow keys (`ESC [ A` and `ESC O A`). A lone ESC is the Escape key.
public struct KeyDecoder: Sendable {
    private var buffer: [UInt8] = []

    /// Creates a decoder with nothing buffered.
    public init() {}

    /// Feeds bytes read from the terminal; returns the keys they complete. A read that ends in a lone ESC yields
    /// Escape (terminals send an arrow key's sequence in one write).
    public mutating func feed(_ bytes: [UInt8]) -> [Key] {
        buffer += bytes
        var keys: [Key] = []
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case 0x1B:
                if index + 2 < buffer.count, buffer[index + 1] == 0x5B || buffer[index + 1] == 0x4F {
                    var end = index + 2
                    while end < buffer.count, !(0x40...0x7E).contains(buffer[end]) { end += 1 }
                    guard end < buffer.count else { buffer.removeFirst(index); return keys }
                    switch buffer[end] {
                    case 0x41: keys.append(.up)
                    case 0x42: keys.append(.down)
                    case 0x43: keys.append(.right)
                    case 0x44: keys.append(.left)
                    default: break
                    }
                    index = end + 1
                } else if index + 1 < buffer.count, buffer[index + 1] == 0x5B || buffer[index + 1] == 0x4F {
                    buffer.removeFirst(index)
                    return keys
                } else {
                    keys.append(.escape)
                    index += 1
                }
            case 0x0D, 0x0A:
                keys.append(.enter)
                index += 1
            case 0x7F, 0x08:
                keys.append(.backspace)
                index += 1
            case 0x09:
                keys.append(.tab)
                index += 1
            case 0x03:
                keys.append(.interrupt)
                index += 1
            case 0..<0x20:
                index += 1
            default:
                let length =
                    byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                guard index + length <= buffer.count else { buffer.removeFirst(index); return keys }
                if let text = String(validating: buffer[index..<(index + length)], as: UTF8.self),
                    let first = text.first
                {
                    keys.append(.character(first))
                }
                index += length
            }
        }
        buffer.removeAll()
        return keys
    }
}
