import CQRencode

/// A QR code's modules, encoded by libqrencode: byte mode, error correction level M (15 % of the symbol may be
/// lost), the smallest version that holds the text.
public struct QRCode: Hashable, Sendable {
    /// The light modules around the symbol that a decoder needs to find it: 4 on each side (ISO/IEC 18004).
    public static let quietZone = 4
    /// The most bytes a code may hold here: a ticket code is at most 65 (a 32-character show id, a dot and 32 hex
    /// digits); more would make a symbol too large for a terminal.
    public static let maximumBytes = 256

    /// The symbol's modules on a side, without the quiet zone.
    public let symbolSize: Int
    /// The symbol's modules, row by row, true for dark.
    private let modules: [Bool]

    /// Encodes `text` (its UTF-8 bytes).
    /// - Throws: ``QRCodeError`` when `text` is empty or longer than ``maximumBytes``, or libqrencode fails.
    public init(encoding text: String) throws(QRCodeError) {
        let bytes = Array(text.utf8)
        guard (1...Self.maximumBytes).contains(bytes.count) else { throw QRCodeError.badLength(bytes.count) }
        guard let code = QRcode_encodeData(Int32(bytes.count), bytes, 0, QR_ECLEVEL_M) else {
            throw QRCodeError.encoderFailed
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        // Bit 0 of each byte is the module's colour (1 dark); the other bits say what the module is for.
        modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
        symbolSize = size
    }

    /// The modules on a side with the quiet zone on both sides.
    public var size: Int { symbolSize + 2 * Self.quietZone }

    /// True when the module at `row`, `column` is dark; both count from the quiet zone's top left corner, and any
    /// module outside the symbol (the quiet zone, or beyond) is light.
    public func isDark(row: Int, column: Int) -> Bool {
        let symbolRow = row - Self.quietZone
        let symbolColumn = column - Self.quietZone
        guard (0..<symbolSize).contains(symbolRow), (0..<symbolSize).contains(symbolColumn) else { return false }
        return modules[symbolRow * symbolSize + symbolColumn]
    }
}
