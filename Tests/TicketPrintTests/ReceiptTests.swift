import BoxOfficeTesting
import Foundation
import Glibc
import Testing

@testable import TicketPrint

/// Printed tickets: the ESC/POS bytes a receipt printer gets, written to a file and read back by a parser.
@Suite("Printed tickets")
struct ReceiptTests {
    static let receipt = Receipt(
        title: "Amélie à Paris", time: "Monday 30 November 2026, 19:30", screen: "1 Main",
        seats: ["F12", "F13"], total: "EUR 24.00", bookingID: "BKZD146JA5Q8",
        ticketCode: "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcde.0123456789abcdef0123456789abcdef")

    /// A file of its own in the temporary directory, made empty; removed by the caller.
    static func emptyFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("receipt-\(UUID().uuidString).bin")
            .path
        try #require(FileManager.default.createFile(atPath: path, contents: nil))
        return path
    }

    @Test("A receipt written to a file reads back: init first, the show and seats, the QR code's data, a cut last")
    func printed() throws {
        let path = try Self.emptyFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ReceiptPrinter(path: path).print(Self.receipt)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let parsed = try ESCPOSReader(Array(bytes))

        #expect(parsed.commands.first == ESCPOSReader.initialise)
        #expect(parsed.commands.last == ESCPOSReader.cut)
        let text = parsed.lines
        #expect(text.contains("Amelie a Paris"), "accents dropped")
        #expect(text.contains("Monday 30 November 2026, 19:30"))
        #expect(text.contains("Screen 1 Main"))
        #expect(text.contains("Seats: F12 F13"))
        #expect(text.contains { $0.hasPrefix("Total") && $0.hasSuffix("EUR 24.00") })
        #expect(text.contains("Booking BKZD146JA5Q8"))
        // The printer's own QR function: model, size, error correction, store, print; the store holds the code.
        #expect(parsed.qrFunctions == [65, 67, 69, 80, 81])
        #expect(parsed.qrData.map { String(decoding: $0, as: UTF8.self) } == [Self.receipt.ticketCode])
        #expect(parsed.emphasisedLines.first == "Amelie a Paris", "the title emphasised")
    }

    @Test("Ticket types and prices are itemised, one line each, the amount flush right")
    func itemised() throws {
        var receipt = Self.receipt
        receipt.items = [
            .init(label: "Adult F12", amount: "EUR 14.00"), .init(label: "Child F13", amount: "EUR 10.00"),
        ]
        let parsed = try ESCPOSReader(receipt.escPOS)
        let adult = try #require(parsed.lines.first { $0.hasPrefix("Adult F12") })
        #expect(adult.count == Receipt.lineWidth && adult.hasSuffix("EUR 14.00"))
        #expect(parsed.lines.contains { $0.hasPrefix("Child F13") && $0.hasSuffix("EUR 10.00") })
    }

    @Test("Control characters in a title cannot reach the printer as commands")
    func controlCharacters() throws {
        var receipt = Self.receipt
        receipt.title = "Evil\u{1B}@\u{1D}V\u{0}Film"
        let parsed = try ESCPOSReader(receipt.escPOS)
        #expect(parsed.lines.contains("Evil?@?V?Film"))
        #expect(parsed.commands.filter { $0.name == [0x1D, 0x56] }.count == 1)
    }

    @Test("A receipt without a ticket code prints no QR code")
    func noCode() throws {
        var receipt = Self.receipt
        receipt.ticketCode = nil
        let parsed = try ESCPOSReader(receipt.escPOS)
        #expect(parsed.qrFunctions.isEmpty)
        #expect(parsed.commands.last == ESCPOSReader.cut)
    }

    @Test("A printer path that is not there fails with a reason, and no file appears")
    func missingPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-printer-\(UUID().uuidString)")
            .path
        #expect(throws: ReceiptPrinterError.self) { try ReceiptPrinter(path: path).print(Self.receipt) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A printer that takes no more bytes (a pipe nobody reads) fails after its timeout, not never")
    func stalledPrinter() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stalled-\(UUID().uuidString)").path
        try #require(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let started = ContinuousClock.now
        #expect(throws: ReceiptPrinterError(path: path, operation: "write", errno: ETIMEDOUT)) {
            // More than a pipe holds.
            try ReceiptPrinter(path: path, timeoutSeconds: 0.5).write(Array(repeating: 0x20, count: 1 << 20))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("Receipts printed to the same file follow each other")
    func appended() throws {
        let path = try Self.emptyFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let printer = ReceiptPrinter(path: path)
        try printer.print(Self.receipt)
        try printer.print(Self.receipt)
        let parsed = try ESCPOSReader(Array(try #require(FileManager.default.contents(atPath: path))))
        #expect(parsed.qrData.count == 2)
        #expect(parsed.commands.filter { $0.name == [0x1B, 0x40] }.count == 2)
    }
}
