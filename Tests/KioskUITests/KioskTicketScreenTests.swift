import BoxOfficeCore
import Foundation
import KioskUI
import Testing
import TicketPrint

/// The ticket the customer carries: its code as a QR code on the ticket screen and in My bookings, in text in
/// plain mode, and printed when the kiosk has a receipt printer.
@Suite("Kiosk tickets on screen and on paper")
struct KioskTicketScreenTests {
    static let shortCode = "7.3f9c0a1b2d4e5f60718293a4b5c6d7e8"
    /// The longest: a 32-character show id.
    static let longCode = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcde.0123456789abcdef0123456789abcdef"

    /// Pays for C4 C5 on show 7; the box office answers with `code`'s TICKET line and the booking.
    static func book(_ driver: inout KioskDriver, code: String = shortCode) throws -> [KioskAction] {
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        return try driver.answer(
            "PAY tok_visa 3200 EUR", ["TICKET BKZD146JA5Q8 \(code)"], "OK BOOKED BKZD146JA5Q8 7 C4 C5")
    }

    static func frame(_ driver: KioskDriver, width: Int, height: Int) -> [String] {
        ScreenRenderer(width: width, height: height).frame(driver.kiosk)
    }

    /// The QR code's lines in `frame`, without what lies left and right of them.
    static func qrLines(_ frame: [String]) -> [String] {
        frame.compactMap { line in
            ScreenRenderer.qrColumns(in: line).map { String(Array(line)[$0]) }
        }
    }

    @Test(
        "The TICKET line before OK BOOKED gives the ticket its code; a tall screen draws it as a QR code under the box")
    func qrUnderTheBox() throws {
        var driver = KioskDriver()
        _ = try Self.book(&driver)
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.ticketCode == Self.shortCode)
        let frame = Self.frame(driver, width: 100, height: 50)
        let expected = try QRCode(encoding: Self.shortCode).halfBlockLines()
        #expect(Self.qrLines(frame) == expected)
        let boxEnd = try #require(frame.lastIndex { $0.hasPrefix("  +---") })
        let qrStart = try #require(frame.firstIndex { ScreenRenderer.qrColumns(in: $0) != nil })
        #expect(qrStart > boxEnd, "under the booking's details")
    }

    @Test("On 80x24 the QR code of a short code stands beside the details, with the code in text")
    func qrBeside() throws {
        var driver = KioskDriver()
        _ = try Self.book(&driver)
        let frame = Self.frame(driver, width: 80, height: 24)
        #expect(Self.qrLines(frame) == (try QRCode(encoding: Self.shortCode).halfBlockLines()))
        #expect(frame.contains { $0.contains("Seats:    C4 C5") })
        #expect(frame.contains { $0.contains(Self.shortCode) })
    }

    @Test("A terminal too small for the QR code shows the code in text and says where to find the QR code")
    func tooSmall() throws {
        var driver = KioskDriver()
        _ = try Self.book(&driver, code: Self.longCode)
        let frame = Self.frame(driver, width: 80, height: 24)
        #expect(Self.qrLines(frame).isEmpty)
        let text = frame.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("Your ticket code: \(Self.longCode)"))
        #expect(text.contains("find the ticket in My bookings on a larger screen"))
        #expect(Self.qrLines(Self.frame(driver, width: 120, height: 60)).count == 23, "a version 5 code, 45 modules")
    }

    @Test("A box office that sends no TICKET line: the ticket as before, no QR code, nothing printed with a code")
    func noTicketLine() throws {
        var driver = KioskDriver(printer: "/dev/null")
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        let actions = try driver.answer("PAY tok_visa 3200 EUR", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        #expect(Self.qrLines(Self.frame(driver, width: 100, height: 50)).isEmpty)
        let receipts = actions.compactMap { if case .print(let receipt) = $0 { receipt } else { nil } }
        #expect(receipts.map(\.ticketCode) == [nil])
    }

    @Test("Plain mode says the code in text, not as blocks")
    func plain() throws {
        var driver = KioskDriver()
        _ = try Self.book(&driver)
        let text = PlainRenderer().text(driver.kiosk)
        #expect(text.contains("Your ticket code, to show at the door: \(Self.shortCode)"))
        #expect(!text.joined().contains("█"))
    }

    @Test("My bookings: each booking with its TICKET line; a booking's number opens its ticket and QR code again")
    func reopenFromBookings() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.press(.character("m"))
        try driver.answer(
            "BOOKINGS",
            [
                "BOOKING BK0000000001 7 2026-11-17T20:00:00Z 2400 EUR A3 A4", "TICKET BK0000000001 \(Self.shortCode)",
                "BOOKING BK0000000002 8 2026-11-17T21:30:00Z 1200 EUR A1",
                "TICKET BK0000000002 8.\(String(repeating: "a", count: 32))",
            ], "OK 2")
        #expect(Self.frame(driver, width: 80, height: 24).contains { $0.contains("[1-2] show a ticket") })
        driver.press(.character("2"))
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BK0000000002" && booking.ticketCode == "8." + String(repeating: "a", count: 32))
        #expect(!Self.qrLines(Self.frame(driver, width: 80, height: 24)).isEmpty)
        #expect(driver.sent.isEmpty, "a ticket shown again is not printed or asked for")

        driver.press(.character("m"))
        try driver.answer("BOOKINGS", ["BOOKING BK0000000001 7 2026-11-17T20:00:00Z 2400 EUR A3 A4"], "OK 1")
        driver.press(.character("3"))
        #expect(driver.kiosk.notice?.text == "There is no booking number 3.")
        driver.press(.character("0"))
        #expect(driver.kiosk.notice?.text == "There is no booking number 0.")
        driver.press(.character("1\u{301}"), .character("\u{661}"))  // a 1 with an accent, an Arabic-Indic 1
        #expect(driver.kiosk.notice == nil, "not a booking's number")

        driver.press(.character("r"))
        try driver.answer("BOOKINGS", "OK 0")
        driver.press(.character("1"))
        #expect(driver.kiosk.notice?.text == "There is no booking number 1.")
        #expect(driver.kiosk.screen == .bookings(.loaded([])))
    }

    @Test("Plain mode: a booking's number in My bookings says its ticket code")
    func reopenPlain() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.feed(.line("m"))
        try driver.answer(
            "BOOKINGS",
            ["BOOKING BK0000000001 7 2026-11-17T20:00:00Z 2400 EUR A3 A4", "TICKET BK0000000001 \(Self.shortCode)"],
            "OK 1")
        #expect(
            PlainRenderer().text(driver.kiosk).contains("1. Booking BK0000000001: Night Train to Lisbon, seats A3 A4."))
        driver.feed(.line("1"))
        #expect(PlainRenderer().text(driver.kiosk).contains("Your ticket code, to show at the door: \(Self.shortCode)"))
    }

    @Test("A TICKET line with a control character or a space in its code gives no code")
    func badTicketLine() throws {
        var driver = KioskDriver()
        _ = try Self.book(&driver, code: "7.abc\u{1B}[2J")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.ticketCode == nil)
    }

    // MARK: Printing

    @Test(
        "With a printer, the booking prints a receipt: the film, the time in the theatre's zone, screen, seats, total, code"
    )
    func printsAfterBooking() throws {
        var driver = KioskDriver(printer: "/dev/usb/lp0")
        let actions = try Self.book(&driver)
        let receipts = actions.compactMap { if case .print(let receipt) = $0 { receipt } else { nil } }
        let receipt = try #require(receipts.first)
        #expect(receipts.count == 1)
        #expect(receipt.title == "Night Train to Lisbon")
        #expect(receipt.time.hasSuffix(", 20:00"), "UTC, the test's zone: \(receipt.time)")
        #expect(receipt.screen == "1 Grand")
        #expect(receipt.seats == ["C4", "C5"])
        #expect(receipt.total == Money.format(3200, "EUR"))
        #expect(receipt.ticketCode == Self.shortCode)
    }

    @Test("Without a printer nothing is printed")
    func noPrinter() throws {
        var driver = KioskDriver()
        let actions = try Self.book(&driver)
        #expect(!actions.contains { if case .print = $0 { true } else { false } })
    }

    @Test("A print that failed keeps the booking and its QR code on screen, and says so")
    func printFailed() throws {
        var driver = KioskDriver(printer: "/dev/usb/lp0")
        _ = try Self.book(&driver)
        driver.feed(.printFailed)
        #expect(driver.kiosk.notice?.text.contains("could not be printed") == true)
        #expect(driver.kiosk.notice?.isWarning == true)
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BKZD146JA5Q8")
        #expect(!Self.qrLines(Self.frame(driver, width: 80, height: 24)).isEmpty)
    }
}
