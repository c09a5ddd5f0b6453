import Foundation
import Testing

@testable import TicketPrint

/// The QR codes the kiosk draws in a terminal, drawn back into pixels as a terminal would and read by `zbarimg`.
@Suite("QR codes in half blocks")
struct HalfBlockQRTests {
    /// Ticket codes as the box office makes them: a show id, a dot, 32 hex digits; the last with the longest show
    /// id (32 characters).
    static let codes = [
        "7.3f9c0a1b2d4e5f60718293a4b5c6d7e8",
        "1.00000000000000000000000000000000",
        "matinee-2026-12-24.ffffffffffffffffffffffffffffffff",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcde.0123456789abcdef0123456789abcdef",
    ]

    /// Pixels on a side for each module.
    static let scale = 8
    static let white: UInt8 = 255
    static let black: UInt8 = 0

    /// Draws `lines` of half blocks as a terminal does: each character cell is one module wide and two high; its
    /// ink (`ink`) fills the halves the character covers, the cell's background (`paper`) the rest. Around the
    /// lines lies the terminal's own background, `surround`, 6 modules wide.
    static func rasterise(_ lines: [String], ink: UInt8, paper: UInt8, surround: UInt8) -> GreyImage {
        let margin = 6 * scale
        let columns = lines.map(\.count).max() ?? 0
        var image = GreyImage(
            width: columns * scale + 2 * margin, height: lines.count * 2 * scale + 2 * margin, filledWith: surround)
        for (row, line) in lines.enumerated() {
            for (column, character) in line.enumerated() {
                let (upper, lower): (Bool, Bool)
                switch character {
                case "█": (upper, lower) = (true, true)
                case "▀": (upper, lower) = (true, false)
                case "▄": (upper, lower) = (false, true)
                default: (upper, lower) = (false, false)
                }
                let x = margin + column * scale
                let y = margin + row * 2 * scale
                image.fill(x: x, y: y, width: scale, height: scale, grey: upper ? ink : paper)
                image.fill(x: x, y: y + scale, width: scale, height: scale, grey: lower ? ink : paper)
            }
        }
        return image
    }

    @Test("Drawn in the kiosk's colours (white ink on black), it scans on a dark terminal", arguments: codes)
    func darkTerminal(code: String) throws {
        let lines = try QRCode(encoding: code).halfBlockLines()
        let image = Self.rasterise(lines, ink: Self.white, paper: Self.black, surround: Self.black)
        #expect(try Decoder.decode(pgm: image.pgm) == [code])
    }

    @Test("Drawn in the kiosk's colours (white ink on black), it scans on a light terminal", arguments: codes)
    func lightTerminal(code: String) throws {
        let lines = try QRCode(encoding: code).halfBlockLines()
        let image = Self.rasterise(lines, ink: Self.white, paper: Self.black, surround: Self.white)
        #expect(try Decoder.decode(pgm: image.pgm) == [code])
    }

    @Test("Every line is as wide as the symbol with its quiet zone, and holds only half blocks")
    func shape() throws {
        let code = try QRCode(encoding: Self.codes[3])
        let lines = code.halfBlockLines()
        #expect(lines.count == (code.size + 1) / 2)
        #expect(lines.allSatisfy { $0.count == code.size })
        #expect(lines.allSatisfy { $0.allSatisfy(QRCode.halfBlocks.contains) })
        // The quiet zone is light, hence ink: the first two lines and the first and last two columns are full.
        #expect(lines.prefix(2).allSatisfy { $0.allSatisfy { $0 == "█" } })
        #expect(lines.allSatisfy { $0.hasPrefix("██") && $0.hasSuffix("██") })
    }

    @Test("The longest ticket code fits a version 5 symbol: 45 modules with the quiet zone")
    func longestSize() throws {
        #expect(try QRCode(encoding: Self.codes[3]).size <= 45)
    }

    @Test("An empty text or one longer than 256 bytes is refused")
    func bounds() {
        #expect(throws: QRCodeError.self) { try QRCode(encoding: "") }
        #expect(throws: QRCodeError.self) { try QRCode(encoding: String(repeating: "a", count: 257)) }
        #expect((try? QRCode(encoding: String(repeating: "a", count: 256))) != nil)
    }
}
