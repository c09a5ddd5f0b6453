import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// Paying: the kiosk pays the total it showed, and a price that changed meanwhile is shown and confirmed again.
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
}
