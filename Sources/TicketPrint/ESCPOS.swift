import Foundation

/// The ESC/POS commands a receipt uses (Epson's command set, which lobby receipt printers speak).
enum ESCPOS {
    enum Alignment: UInt8 {
        case left = 0
        case centre = 1
    }

    /// `ESC @`: clears the printer's settings and buffer.
    static let initialise: [UInt8] = [0x1B, 0x40]
    /// `GS V 0`: a full cut.
    static let cut: [UInt8] = [0x1D, 0x56, 0x00]

    /// `ESC a n`: aligns the lines that follow.
    static func align(_ alignment: Alignment) -> [UInt8] { [0x1B, 0x61, alignment.rawValue] }

    /// `ESC E n`: emphasis on or off.
    static func emphasis(_ on: Bool) -> [UInt8] { [0x1B, 0x45, on ? 1 : 0] }

    /// `GS ! n`: double width and height, or normal.
    static func doubleSize(_ on: Bool) -> [UInt8] { [0x1D, 0x21, on ? 0x11 : 0x00] }

    /// `ESC d n`: prints and feeds `lines` lines.
    static func feed(_ lines: UInt8) -> [UInt8] { [0x1B, 0x64, lines] }

    /// `text` as printable ASCII and a line feed: accents dropped, any other character (a control character
    /// above all) as `?`; a line feed in `text` is kept.
    static func line(_ text: String) -> [UInt8] {
        let folded = text.folding(options: .diacriticInsensitive, locale: nil)
        return folded.unicodeScalars.map { scalar in
            (0x20...0x7E).contains(scalar.value) || scalar == "\n" ? UInt8(scalar.value) : UInt8(ascii: "?")
        } + [0x0A]
    }

    /// The QR code function `GS ( k` (cn 49): model 2 (fn 65), module size 6 dots (fn 67), error correction M
    /// (fn 69), store `text` (fn 80), print it (fn 81). `text` is at most a few hundred bytes.
    static func qrCode(_ text: String) -> [UInt8] {
        let data = Array(text.utf8)
        let stored = data.count + 3
        return function(65, [50, 0]) + function(67, [6]) + function(69, [49])
            + [0x1D, 0x28, 0x6B, UInt8(stored & 0xFF), UInt8(stored >> 8), 49, 80, 48] + data
            + function(81, [48])
    }

    /// `GS ( k pL pH 49 fn parameters`.
    private static func function(_ number: UInt8, _ parameters: [UInt8]) -> [UInt8] {
        let count = parameters.count + 2
        return [0x1D, 0x28, 0x6B, UInt8(count & 0xFF), UInt8(count >> 8), 49, number] + parameters
    }
}
