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
