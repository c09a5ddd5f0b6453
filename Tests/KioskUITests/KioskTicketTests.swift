import KioskUI
import Testing

/// The kiosk reads ticket codes from PAY's and BOOKINGS' `TICKET` lines into its bookings.
@Suite("Kiosk: ticket codes")
struct KioskTicketTests {
    static let code = "7.5f0c2a9e41d7b3860c9e7d215a4b6f38"

    @Test("PAY's TICKET line puts the code on the ticket")
    func payGivesTheCode() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.enter)
        try driver.answer(
            "PAY tok_visa 3200 EUR", ["TICKET BKZD146JA5Q8 \(Self.code)"], "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.ticketCode == Self.code)
    }

    @Test("BOOKINGS: each TICKET line goes to the booking it names; a booking without one has none")
    func bookingsGiveCodes() {
        let bookings = Booking.list(from: [
            "BOOKING BK0000000001 7 2026-12-12T19:30:00Z 2400 EUR A1 A2",
            "TICKET BK0000000001 \(Self.code)",
            "BOOKING BK0000000002 8 2026-12-13T19:30:00Z 1200 EUR B1",
            "NOTE something a later revision sends",
        ])
        #expect(bookings.map(\.id) == ["BK0000000001", "BK0000000002"])
        #expect(bookings.map(\.ticketCode) == [Self.code, nil])
    }
}

/// My bookings offers cancelling a booking, with a confirmation step.
@Suite("Kiosk: cancelling a booking from My bookings")
struct KioskCancelTests {
    static let bookings = [
        "BOOKING BK0000000001 7 2026-11-17T20:00:00Z 2400 EUR A3 A4",
        "TICKET BK0000000001 7.5f0c2a9e41d7b3860c9e7d215a4b6f38",
        "BOOKING BK0000000002 9 2026-11-17T22:30:00Z 1200 EUR C1",
    ]

    /// Logged in, on My bookings with two bookings.
    static func onMyBookings(plain: Bool = false) throws -> KioskDriver {
        var driver = KioskDriver()
        try driver.logIn()
        if plain { driver.feed(.line("m")) } else { driver.press(.character("m")) }
        try driver.answer("BOOKINGS", bookings, "OK 2")
        return driver
    }

    @Test("Choose a booking, c asks first, n keeps it, y cancels it; the refund is said and the list read again")
    func cancelWithConfirmation() throws {
        var driver = try Self.onMyBookings()
        #expect(driver.frameText.contains("> 1  BK0000000001"))
        driver.press(.down, .character("c"))
        #expect(driver.frameText.contains("Cancel this booking and refund 12.00 EUR? [y] yes  [n] no"))
        #expect(driver.sent.isEmpty, "nothing is cancelled before the customer says yes")
        driver.press(.character("n"))
        #expect(!driver.frameText.contains("Cancel this booking"))
        #expect(driver.sent.isEmpty)

        driver.press(.character("c"), .character("y"))
        #expect(driver.sent.map(\.command.line) == ["CANCEL BK0000000002"])
        try driver.answer("CANCEL BK0000000002", "OK CANCELLED BK0000000002 9 1200 EUR REFUNDED C1")
        #expect(driver.kiosk.notice?.text == "Booking BK0000000002 is cancelled and 12.00 EUR refunded to your card.")
        try driver.answer("BOOKINGS", Array(Self.bookings.prefix(2)), "OK 1")
        #expect(driver.frameText.contains("> 1  BK0000000001") && !driver.frameText.contains("BK0000000002  "))
    }

    @Test("A refusal is said in words: too late, or already used at the door; nothing else changes")
    func refusals() throws {
        var driver = try Self.onMyBookings()
        driver.press(.character("c"), .character("y"))
        try driver.answer("CANCEL BK0000000001", "ERR CANCEL_CLOSED 2026-11-17T18:00:00Z")
        #expect(driver.kiosk.notice?.text.contains("too late to cancel") == true)
        #expect(driver.kiosk.notice?.isWarning == true)
        try driver.answer("BOOKINGS", Self.bookings, "OK 2")
        driver.press(.character("c"), .character("y"))
        try driver.answer("CANCEL BK0000000001", "ERR ALREADY_ADMITTED")
        #expect(driver.kiosk.notice?.text.contains("already used at the door") == true)
    }

    @Test("Plain mode: c and a number asks, y cancels")
    func plainCancel() throws {
        var driver = try Self.onMyBookings(plain: true)
        #expect(
            PlainRenderer().text(driver.kiosk).contains {
                $0.hasPrefix("Answer a booking's number to see its ticket, c and its number to cancel it")
            })
        driver.feed(.line("c 2"))
        #expect(
            PlainRenderer().text(driver.kiosk).last
                == "Cancel booking BK0000000002 and refund it? Answer y to cancel, n to keep it:")
        driver.feed(.line("y"))
        #expect(driver.sent.map(\.command.line) == ["CANCEL BK0000000002"])
    }
}
