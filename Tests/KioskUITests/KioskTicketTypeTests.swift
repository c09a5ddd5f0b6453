import BoxOfficeCore
import Foundation
import KioskUI
import Testing
import TicketPrint

/// Ticket types on the payment screen (protocol revision 1.4): the kiosk asks how many of each type, shows the
/// itemised price with its VAT part, and pays with the types chosen.
@Suite("Kiosk ticket types")
struct KioskTicketTypeTests {
    /// Show 7's prices with ticket types: adult (the default), child on premium seats, a companion on standard
    /// seats, and 20 % VAT.
    static let typedPrices = [
        "PRICE standard 1200", "PRICE premium 1600", "PRICE wheelchair 1200", "TYPE adult standard 1200 Adult",
        "TYPE adult premium 1600 Adult", "TYPE adult wheelchair 1200 Adult", "TYPE child premium 1100 Child (under 15)",
        "TYPE companion standard 0 Companion", "VAT 2000",
    ]

    /// Logs in with show 7 selling ticket types, holds premium seats C4 C5 and reaches the payment screen.
    static func openTypedPayment(printer: String? = nil) throws -> KioskDriver {
        var driver = KioskDriver(printer: printer)
        try driver.submitLogin(typing: "alice")
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        try driver.answer("PRICES 7", typedPrices, "OK EUR")
        for show in ["9", "8"] {
            try driver.answer("PRICES \(show)", ["PRICE standard 1200", "PRICE premium 1600"], "OK EUR")
        }
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("LAYOUT 8", ["SCREEN 2 Studio", "ROW A ssss"], "OK 1")
        driver.press(.enter)
        try driver.answer("START 7", "OK SESSION 0123456789abcdef0123 7")
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("WATCH 7", "OK WATCHING 7")
        try driver.answer("SEATS", KioskDriver.seats, "OK 19 AVAILABLE")
        driver.goTo("C4")
        driver.press(.character(" "), .right, .character(" "), .enter)
        try driver.answer("HOLD C4 C5", "OK HELD C4 C5 EXPIRES 300")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM premium 2 1600 3200", "VAT 2000 533"], "OK 3200 EUR")
        return driver
    }

    @Test("Only the types sold for the kinds held are offered; every seat starts as the default type")
    func offered() throws {
        let driver = try Self.openTypedPayment()
        let tickets = try #require(driver.paymentForm?.tickets)
        #expect(tickets.rows.map(\.type) == ["adult", "child"], "premium seats: no companion, which is for standard")
        #expect(tickets.rows.map(\.count) == [2, 0])
        let frame = driver.frameText
        #expect(frame.contains("Tickets: how many of each?"))
        #expect(frame.contains("> 2 x Adult, premium seat, 16.00 EUR"))
        #expect(frame.contains("  0 x Child (under 15), premium seat, 11.00 EUR"))
        #expect(frame.contains("Includes VAT at 20%: 5.33 EUR"))
        #expect(frame.contains("[Tab] ticket [+/-] how many"))
    }

    @Test("Changing the types re-quotes them itemised with VAT, and PAY sends the total with those types")
    func chooseAndPay() throws {
        var driver = try Self.openTypedPayment()
        driver.press(.tab, .character("+"))
        #expect(driver.sent.map(\.command.line) == ["QUOTE premium:adult=1 premium:child=1"])
        driver.press(.character("1"), .enter)
        #expect(driver.sent.count == 1, "nothing is paid while the new price is being read")
        try driver.answer(
            "QUOTE premium:adult=1 premium:child=1",
            ["ITEM premium 1 1600 1600 adult", "ITEM premium 1 1100 1100 child", "VAT 2000 450"], "OK 2700 EUR")
        let frame = driver.frameText
        #expect(frame.contains("1 x Child (under 15), premium"), "\(frame)")
        #expect(frame.contains("Total: 27.00 EUR") && frame.contains("Includes VAT at 20%: 4.50 EUR"))
        driver.press(.enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 2700 EUR premium:adult=1 premium:child=1"])
        try driver.answer("PAY tok_visa 2700 EUR premium:adult=1 premium:child=1", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        guard case .ticket = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
    }

    @Test("Plain mode lists the tickets, +2 and -2 change them, and PAY sends the types chosen")
    func plainChoice() throws {
        var driver = try Self.openTypedPayment()
        var text = PlainRenderer().text(driver.kiosk)
        #expect(text.contains("Ticket 1: 2 x Adult, premium seat, 16.00 EUR each"))
        #expect(text.contains("Ticket 2: 0 x Child (under 15), premium seat, 11.00 EUR each"))
        #expect(text.contains("Includes VAT at 20%: 5.33 EUR."))
        driver.feed(.line("+3"))
        #expect(driver.sent.isEmpty && driver.kiosk.notice?.text.contains("such as +2") == true, "no third ticket")
        driver.feed(.line("+2"))
        #expect(driver.sent.map(\.command.line) == ["QUOTE premium:adult=1 premium:child=1"])
        #expect(PlainRenderer().text(driver.kiosk).last == "Reading the price.")
        try driver.answer(
            "QUOTE premium:adult=1 premium:child=1",
            ["ITEM premium 1 1600 1600 adult", "ITEM premium 1 1100 1100 child", "VAT 2000 450"], "OK 2700 EUR")
        text = PlainRenderer().text(driver.kiosk)
        #expect(text.contains("1 Child (under 15), premium at 11.00 EUR: 11.00 EUR"), "\(text)")
        #expect(text.contains("Total: 27.00 EUR."))
        driver.feed(.line("1"))
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 2700 EUR premium:adult=1 premium:child=1"])
    }

    @Test("A choice the box office refuses goes back to the one quoted, and says why")
    func refused() throws {
        var driver = try Self.openTypedPayment()
        driver.press(.tab, .character("+"))
        try driver.answer(
            "QUOTE premium:adult=1 premium:child=1", "ERR TICKET_RATING child 15")
        #expect(driver.paymentForm?.tickets?.rows.map(\.count) == [2, 0])
        #expect(driver.kiosk.notice?.text.contains("age rating") == true)
        driver.press(.character("-"))
        #expect(driver.sent.isEmpty, "no child ticket to take back")
        driver.press(.character("1"), .enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 3200 EUR premium:adult=2"])
    }

    @Test("A show without ticket types pays as before, without ticket arguments")
    func noTypes() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        #expect(driver.paymentForm?.tickets == nil)
        driver.press(.character("+"), .character("1"), .enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 3200 EUR"])
    }

    @Test("The printed ticket lists the tickets by type with their prices, as quoted and paid")
    func printedTypes() throws {
        var driver = try Self.openTypedPayment(printer: "/dev/usb/lp0")
        driver.press(.tab, .character("+"))
        try driver.answer(
            "QUOTE premium:adult=1 premium:child=1",
            ["ITEM premium 1 1600 1600 adult", "ITEM premium 1 1100 1100 child", "VAT 2000 450"], "OK 2700 EUR")
        driver.press(.character("1"), .enter)
        let actions = try driver.answer(
            "PAY tok_visa 2700 EUR premium:adult=1 premium:child=1", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        let receipt = try #require(
            actions.compactMap { if case .print(let receipt) = $0 { receipt } else { nil } }.first)
        #expect(
            receipt.items == [
                .init(label: "1 x Adult", amount: Money.format(1600, "EUR")),
                .init(label: "1 x Child (under 15)", amount: Money.format(1100, "EUR")),
            ])
        #expect(receipt.total == Money.format(2700, "EUR"))
    }

    @Test("BOOKINGS' TYPES line gives a booking its tickets, a line per type and price")
    func bookingTypes() {
        let bookings = Booking.list(from: [
            "BOOKING BK0000000001 7 2026-12-12T19:30:00Z 3900 EUR C3 C4 C5",
            "TYPES BK0000000001 C3=adult:1600 C4=child:1100 C5=adult:1600",
            "BOOKING BK0000000002 8 2026-12-13T19:30:00Z 1200 EUR B1",
        ])
        #expect(
            bookings.map(\.tickets) == [
                [.init(type: "adult", count: 2, unit: 1600), .init(type: "child", count: 1, unit: 1100)], [],
            ])
    }
}
