import BoxOfficeTesting
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

    @Test("Drawn in the kiosk's colours (white ink on black), it scans on a dark terminal", arguments: codes)
    func darkTerminal(code: String) throws {
        let lines = try QRCode(encoding: code).halfBlockLines()
        let image = GreyImage(
            halfBlocks: lines, ink: GreyImage.white, paper: GreyImage.black, surround: GreyImage.black)
        #expect(try BarcodeReader.decode(pgm: image.pgm) == [code])
    }

    @Test("Drawn in the kiosk's colours (white ink on black), it scans on a light terminal", arguments: codes)
    func lightTerminal(code: String) throws {
        let lines = try QRCode(encoding: code).halfBlockLines()
        let image = GreyImage(
            halfBlocks: lines, ink: GreyImage.white, paper: GreyImage.black, surround: GreyImage.white)
        #expect(try BarcodeReader.decode(pgm: image.pgm) == [code])
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
