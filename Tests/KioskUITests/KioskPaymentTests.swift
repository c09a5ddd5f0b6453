import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// Paying: the kiosk pays the total it showed, a price that changed meanwhile is shown and confirmed again, and a
/// payment whose answer was lost is waited for, never paid twice.
@Suite("Kiosk payments")
struct KioskPaymentTests {
    // MARK: The amount shown

    @Test("PAY carries the total of the last QUOTE, in minor units, with its currency")
    func payCarriesQuotedTotal() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("2"), .enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_mastercard 3200 EUR"])
    }

    // MARK: A changed price

    @Test("PRICE_CHANGED: the new price is read and shown, and nothing is paid until Enter confirms it")
    func priceChanged() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        try driver.answer("PAY tok_visa 3200 EUR", "ERR PRICE_CHANGED 3600 EUR")
        #expect(driver.sent.map(\.command.line) == ["QUOTE"])
        driver.press(.enter)  // before the new price is there: nothing
        #expect(driver.sent.map(\.command.line) == ["QUOTE"])
        #expect(driver.frameText.contains("Reading the new price..."))

        try driver.answer("QUOTE", ["ITEM premium 2 1800 3600"], "OK 3600 EUR")
        #expect(driver.sent.isEmpty, "the new price is not paid by itself")
        #expect(driver.kiosk.session != nil, "the seats are still held")
        #expect(driver.paymentForm?.map.mine == [SeatID("C4")!, SeatID("C5")!])
        let notice = try #require(driver.kiosk.notice)
        #expect(notice.isWarning)
        #expect(notice.text.contains("price of your seats changed") && notice.text.contains("36.00 EUR"))
        #expect(notice.text.contains("nothing was charged"))
        let frame = driver.frameText
        #expect(frame.contains("2 x premium    at 18.00 EUR    36.00 EUR"))
        #expect(frame.contains("Total: 36.00 EUR"))
        #expect(frame.contains("The price changed before you paid: it was 32.00 EUR."))
        #expect(frame.contains("[Enter] pay the new total"))

        driver.press(.enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 3600 EUR"])
        #expect(driver.paymentForm?.priceChangedFrom == nil)
        try driver.answer("PAY tok_visa 3600 EUR", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BKZD146JA5Q8")
    }

    @Test("PRICE_CHANGED in plain mode: said in words with both totals; only another card number pays")
    func priceChangedPlain() throws {
        var driver = KioskDriver()
        try driver.openPayment(plain: true)
        driver.feed(.line("1"))
        try driver.answer("PAY tok_visa 3200 EUR", "ERR PRICE_CHANGED 2800 EUR")
        #expect(PlainRenderer().text(driver.kiosk).last == "Reading the new price.")
        driver.feed(.line("1"))
        try driver.answer("QUOTE", ["ITEM premium 2 1400 2800"], "OK 2800 EUR")
        #expect(driver.sent.isEmpty, "neither the line typed while reading nor the new price paid anything")
        let text = PlainRenderer().text(driver.kiosk)
        #expect(
            text.contains(
                "The price changed before you paid: it was 32.00 EUR, it is now 28.00 EUR. Nothing was charged."))
        #expect(text.contains("Total: 28.00 EUR."))
        #expect(
            text.last == "Answer a test card's number to pay the new total of 28.00 EUR, or q to go back to the seats:")
        driver.feed(.line("1"))
        #expect(driver.sent.map(\.command.line) == ["PAY tok_visa 2800 EUR"])
    }

    @Test("PRICE_CHANGED and then a QUOTE that fails: the old total stays, which PAY cannot pay unseen")
    func priceChangedQuoteFails() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        try driver.answer("PAY tok_visa 3200 EUR", "ERR PRICE_CHANGED 3600 EUR")
        try driver.answer("QUOTE", "ERR UNAVAILABLE")
        #expect(driver.sent.isEmpty)
        #expect(driver.kiosk.notice?.text.contains("could not read the new price") == true)
        #expect(driver.paymentForm?.busy == false)
        driver.press(.enter)
        // The box office refuses the old total again, and the kiosk reads the price once more.
        try driver.answer("PAY tok_visa 3200 EUR", "ERR PRICE_CHANGED 3600 EUR")
        _ = try driver.take("QUOTE")
    }

    // MARK: A payment in doubt

    /// The session the tests' seat map opens.
    private static let sessionID = "0123456789abcdef0123"
    /// What BOOKINGS lists once the payment for C4 C5 has booked, beside an older booking.
    private static let bookedLines = [
        "BOOKING BK0000000001 8 2026-11-17T21:30:00Z 1200 EUR A1",
        "BOOKING BKZD146JA5Q8 7 2026-11-17T20:00:00Z 3200 EUR C4 C5",
    ]

    /// Pays 32.00 EUR for C4 C5 with tok_visa; the connection drops before PAY's answer and comes back; the kiosk
    /// logs in again and its BOOKINGS waits for an answer.
    private func payCutOff() throws -> KioskDriver {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        #expect(driver.waiting("PAY tok_visa 3200 EUR"))
        driver.feed(.disconnected)
        #expect(driver.paymentInDoubt?.stage == .checking)
        #expect(driver.frameText.contains("Checking your payment..."))
        try driver.reconnect()
        #expect(driver.sent.map(\.command.line) == ["BOOKINGS"], "the booking is looked for first")
        return driver
    }

    /// The requests that could pay a second time, or lead to it in one Enter.
    private func payingAgain(_ driver: KioskDriver) -> [String] {
        driver.sent.map(\.command.line).filter { line in
            ["PAY", "START", "QUOTE", "HOLD", "BEST"].contains(line.prefix { $0 != " " })
        }
    }

    @Test("A PAY cut off by a lost connection that booked: the ticket, read from BOOKINGS, without a RESUME")
    func payCutOffBooked() throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", Self.bookedLines, "OK 2")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BKZD146JA5Q8")
        #expect(driver.sent.isEmpty)
    }

    @Test("Still PAYING: Checking your payment..., asked again every 2 s, and no key or line pays again")
    func stillPaying() throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", ["BOOKING BK0000000001 7 2026-11-17T20:00:00Z 1600 EUR C4"], "OK 1")
        try driver.answer("RESUME \(Self.sessionID) 7", "ERR NO_SESSION PAYING")
        #expect(driver.paymentInDoubt?.stage == .checking)
        let frame = driver.frameText
        #expect(frame.contains("Checking your payment..."))
        #expect(!frame.contains("[Enter]") && !frame.contains("[Esc]"), "no keys offered")
        #expect(PlainRenderer().text(driver.kiosk).first?.hasPrefix("Checking your payment.") == true)

        driver.press(.escape, .enter, .character("1"), .character("q"), .character("m"), .backspace)
        driver.feed(.line("q"))
        driver.feed(.line("1"))
        driver.feed(.line(""))
        #expect(driver.sent.isEmpty, "no key leads anywhere")
        #expect(driver.paymentInDoubt?.stage == .checking)
        #expect(driver.kiosk.notice?.text.contains("still finding out") == true, "the keys are answered")

        driver.advance(1.5)
        #expect(driver.sent.isEmpty)
        driver.advance(0.5)
        #expect(driver.sent.map(\.command.line) == ["BOOKINGS"])
        // Asked for longer than the idle reset (90 s): the customer waiting is not idle, and stays.
        for _ in 0..<50 {
            try driver.answer("BOOKINGS", "OK 0")
            try driver.answer("RESUME \(Self.sessionID) 7", "ERR NO_SESSION PAYING")
            #expect(payingAgain(driver).isEmpty)
            driver.advance(2)
        }
        #expect(driver.paymentInDoubt?.stage == .checking)
        #expect(driver.kiosk.customerName == "alice")
        #expect(!driver.waiting("LOGOUT"))
        // The outcome, at last: the customer gets the whole idle time to read it.
        try driver.answer("BOOKINGS", Self.bookedLines, "OK 2")
        driver.advance(1)
        guard case .ticket = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(driver.sent.isEmpty)
        driver.advance(89)
        #expect(driver.waiting("LOGOUT"), "then the idle reset as ever")
    }

    @Test("PAYING, then BOOKED: only BOOKINGS is read from then on, until the booking shows; then the ticket")
    func payingThenBooked() throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME", "ERR NO_SESSION PAYING")
        driver.advance(2)
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME", "ERR NO_SESSION BOOKED")
        #expect(driver.paymentInDoubt?.stage == .booked)
        #expect(driver.frameText.contains("Your payment went through. Fetching your ticket..."))
        driver.press(.escape, .enter)
        #expect(driver.sent.isEmpty)
        for _ in 0..<5 {  // the booking may take a while to be listed while a server settles it
            driver.advance(2)
            try driver.answer("BOOKINGS", ["BOOKING BK0000000001 8 2026-11-17T21:30:00Z 1200 EUR A1"], "OK 1")
            #expect(driver.sent.isEmpty, "no RESUME once the session is known to have booked")
        }
        driver.advance(2)
        try driver.answer("BOOKINGS", Self.bookedLines, "OK 2")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BKZD146JA5Q8")
        #expect(driver.frameText.contains("Thank you! Your booking is confirmed."))
        driver.advance(10)
        #expect(driver.sent.isEmpty, "no more questions")
    }

    @Test("Declined while the kiosk was offline: OK RESUMED, back to paying for the seats still held, said plainly")
    func declinedWhileOffline() throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME \(Self.sessionID) 7", "ERR NO_SESSION PAYING")
        driver.advance(2)
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME \(Self.sessionID) 7", "OK RESUMED \(Self.sessionID) 7 HELD C4 C5 EXPIRES 240")
        let form = try #require(driver.paymentForm)
        #expect(!form.busy)
        #expect(form.map.mine == [SeatID("C4")!, SeatID("C5")!])
        #expect(driver.kiosk.session?.id == Self.sessionID)
        #expect(driver.kiosk.secondsLeft == 240)
        #expect(driver.kiosk.notice?.text.contains("did not go through, and nothing was charged") == true)
        #expect(driver.frameText.contains("Payment failed: The payment did not go through; nothing was charged."))
        #expect(driver.frameText.contains("Total: 32.00 EUR"))
        _ = try driver.take("WATCH 7")
        driver.press(.character("2"), .enter)
        #expect(driver.sent.map(\.command.line) == ["PAY tok_mastercard 3200 EUR"])
    }

    @Test(
        "The session ended without a booking: nothing was charged, the seats were released, the seat map again",
        arguments: ["ERR NO_SESSION", "ERR SESSION_EXPIRED"])
    func endedWithoutBooking(final: String) throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME \(Self.sessionID) 7", final)
        let notice = try #require(driver.kiosk.notice)
        #expect(notice.text.contains("nothing was charged") && notice.text.contains("seats were released"))
        #expect(driver.seatScreen?.map.mine.isEmpty == true)
        #expect(driver.seatScreen?.map.state(of: SeatID("C4")!) == .available)
        try driver.answer("START 7", "OK SESSION 11111111111111111111 7")
        #expect(driver.kiosk.session?.id == "11111111111111111111")
    }

    @Test(
        "RESUME answers that say nothing sure keep the kiosk waiting and asking",
        arguments: ["ERR UNAVAILABLE", "ERR NO_SESSION SETTLING", "ERR SESSION_OPEN", "OK RESUMED", "ERR"])
    func unsureAnswers(final: String) throws {
        var driver = try payCutOff()
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME", final)
        #expect(driver.paymentInDoubt?.stage == .checking)
        #expect(driver.sent.isEmpty)
        driver.advance(2)
        _ = try driver.take("BOOKINGS")
    }

    @Test("No outcome within 120 s: the kiosk stops asking and sends the customer to staff, never to pay before")
    func givesUp() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        driver.advance(1)
        driver.feed(.disconnected)  // the answer is lost here: 120 s from now
        driver.advance(30)  // offline for a while
        #expect(driver.paymentInDoubt?.stage == .checking)
        try driver.reconnect()
        for _ in 0..<44 {  // 30 + 44 x 2 = 118 s
            try driver.answer("BOOKINGS", "OK 0")
            try driver.answer("RESUME", "ERR NO_SESSION PAYING")
            driver.press(.enter)
            driver.advance(2)
            #expect(payingAgain(driver).isEmpty)
            #expect(driver.paymentInDoubt?.stage == .checking)
        }
        try driver.answer("BOOKINGS", "OK 0")
        try driver.answer("RESUME", "ERR NO_SESSION PAYING")
        driver.advance(1.5)
        #expect(driver.paymentInDoubt?.stage == .checking, "119.5 s")
        driver.advance(0.5)
        #expect(driver.paymentInDoubt?.stage == .gaveUp)
        let frame = driver.frameText
        #expect(frame.contains("We could not find out whether your payment went through."))
        #expect(frame.contains("Please ask a member of staff for help before you pay again."))
        #expect(PlainRenderer().text(driver.kiosk).contains { $0.hasPrefix("Please ask a member of staff") })
        driver.advance(10)
        #expect(driver.sent.isEmpty, "no more questions")
        // The customer may go on only now.
        driver.press(.enter)
        _ = try driver.take("SHOWS")
    }

    @Test("A LOGIN refused while a payment is in doubt: a fresh connection tries again, the payment is not forgotten")
    func loginFailsInDoubt() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        let actions = try driver.answer("LOGIN alice password123", "ERR UNAVAILABLE")
        #expect(actions.contains { if case .reconnect = $0 { true } else { false } })
        #expect(driver.paymentInDoubt?.stage == .checking)
        #expect(driver.kiosk.customerName == "alice")
        try driver.reconnect()
        try driver.answer("BOOKINGS", Self.bookedLines, "OK 2")
        guard case .ticket = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
    }
}
