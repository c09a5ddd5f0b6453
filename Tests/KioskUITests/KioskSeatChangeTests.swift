import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// What the customer is told as the seats change: the idle warning, best seats in place of the held ones, the
/// price, the ticket, and a show withdrawn or changed under the customer.
@Suite("Kiosk seat changes, warnings and withdrawn shows")
struct KioskSeatChangeTests {
    /// Opens the seat map of show 7 and holds C4 C5 (premium, 16.00 EUR each).
    static func holdingC4C5() throws -> KioskDriver {
        var driver = KioskDriver(idleReset: 90)
        try driver.openSeatMap()
        driver.feed(.line("c4 c5"))
        try driver.answer("HOLD C4 C5", "OK HELD C4 C5 EXPIRES 300")
        return driver
    }

    // MARK: Still there?

    /// Lets `seconds` pass a second at a time, answering the kiosk's keep-alive PINGs.
    static func idle(_ driver: inout KioskDriver, _ seconds: Int) throws {
        for _ in 0..<seconds {
            driver.advance(1)
            if driver.sent.first?.command == .ping { try driver.answer("PING", "OK PONG") }
        }
    }

    @Test("Still there? 15 s before the idle reset, counting down; any key keeps the customer and does nothing else")
    func stillThere() throws {
        var driver = try Self.holdingC4C5()
        driver.sent.removeAll()
        try Self.idle(&driver, 74)
        #expect(driver.kiosk.idleResetIn == nil)
        try Self.idle(&driver, 1)
        #expect(
            driver.frameText.contains(
                "! Still there? Press any key to carry on. In 15 s we start again for the next"))
        #expect(PlainRenderer().text(driver.kiosk).last?.hasPrefix("Still there? Press Enter to carry on") == true)
        try Self.idle(&driver, 5)
        #expect(driver.kiosk.idleResetIn == 10 && driver.frameText.contains("In 10 s"))
        driver.press(.character(" "))
        #expect(driver.lastActions.isEmpty && driver.seatScreen?.map.selection.isEmpty == true)
        #expect(!driver.frameText.contains("Still there?"))
        #expect(driver.seatScreen?.map.mine == [SeatID("C4")!, SeatID("C5")!])
        try Self.idle(&driver, 89)
        #expect(!driver.waiting("LOGOUT"))
        try Self.idle(&driver, 1)
        #expect(driver.waiting("CLOSE") && driver.waiting("LOGOUT"))
        guard case .welcome = driver.kiosk.screen else {
            Issue.record("not reset")
            return
        }
    }

    // MARK: Best seats and the price

    @Test("The first seats held say their total")
    func firstTotal() throws {
        let driver = try Self.holdingC4C5()
        #expect(driver.kiosk.notice?.text == "Held for you: C4 C5. Total: 32.00 EUR. Press Enter to pay.")
    }

    @Test("A second b 2 replaces the seats held in one step, BEST 2 REPLACE; the notice names both")
    func bestReplaces() throws {
        var driver = try Self.holdingC4C5()
        driver.sent.removeAll()
        driver.press(.character("b"), .enter, .character("2"))
        #expect(driver.frameText.contains("How many seats together (in place of C4 C5)? 2_"))
        driver.press(.enter)
        #expect(driver.sent.map(\.command.line) == ["BEST 2 REPLACE"])
        #expect(driver.seatScreen?.busy == true)
        try driver.answer("BEST 2 REPLACE", "OK HELD A3 A4 EXPIRES 300")
        #expect(driver.seatScreen?.busy == false)
        #expect(driver.seatScreen?.map.mine == [SeatID("A3")!, SeatID("A4")!])
        #expect(
            driver.kiosk.notice?.text
                == "We held the best seats: A3 A4. They replace C4 C5, now released. Press Enter to pay.")
    }

    @Test("b+ adds best seats to those held, and says the price went up")
    func bestAdds() throws {
        var driver = try Self.holdingC4C5()
        driver.sent.removeAll()
        driver.feed(.line("b+ 2"))
        #expect(driver.sent.map(\.command.line) == ["BEST 2"])
        try driver.answer("BEST 2", "OK HELD A3 A4 C4 C5 EXPIRES 280")
        #expect(
            driver.kiosk.notice?.text
                == "We held the best seats: A3 A4 C4 C5. Your seats now cost 56.00 EUR, up from 32.00 EUR. Press Enter to pay."
        )
        // The + key does the same on the full screen.
        driver.sent.removeAll()
        driver.press(.character("b"), .enter, .character("+"), .character("1"), .enter)
        #expect(driver.sent.map(\.command.line) == ["BEST 1"])
    }

    @Test("Best seats in place of cheaper ones say the new, higher price")
    func replacingRaisesPrice() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.feed(.line("a3 a4"))
        try driver.answer("HOLD A3 A4", "OK HELD A3 A4 EXPIRES 300")
        driver.feed(.line("b 2"))
        try driver.answer("BEST 2 REPLACE", "OK HELD C4 C5 EXPIRES 300")
        #expect(driver.kiosk.notice?.text.contains("Your seats now cost 32.00 EUR, up from 24.00 EUR.") == true)
    }

    @Test(
        "A refused BEST REPLACE keeps the seats held, and says so",
        arguments: [
            ("ERR NOT_ENOUGH_SEATS 4", "Sorry, only 4 seats are still free for this show."),
            ("ERR SEAT_LIMIT 4", "You can book at most 4 seats at a time."),
        ])
    func bestReplaceRefused(reply: String, said: String) throws {
        var driver = try Self.holdingC4C5()
        driver.sent.removeAll()
        driver.feed(.line("b 6"))
        #expect(driver.sent.map(\.command.line) == ["BEST 6 REPLACE"])
        try driver.answer("BEST 6 REPLACE", reply)
        #expect(driver.kiosk.notice?.text == said + " Your seats C4 C5 are still held for you.")
        #expect(driver.seatScreen?.map.mine == [SeatID("C4")!, SeatID("C5")!])
        #expect(driver.seatScreen?.busy == false)
    }

    // MARK: The screens

    @Test("The seat map: seat numbers above the columns, the legend with boxofficectl's symbols, [/] find")
    func seatMapScreen() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        let frame = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)
        let rowA = try #require(frame.firstIndex { $0.contains("A   w  w") })
        #expect(frame[rowA - 1].trimmingCharacters(in: .whitespaces) == "1  2     3  4  5  6     7  8")
        #expect(
            frame[rowA - 1].firstIndex(of: "1").map { frame[rowA].distance(from: frame[rowA].startIndex, to: $0) }
                == frame[rowA].firstIndex(of: "w").map { frame[rowA].distance(from: frame[rowA].startIndex, to: $0) })
        #expect(
            ScreenRenderer.legend
                == "o free  p premium  w wheelchair  h held  x sold  # blocked  + chosen  * yours")
        #expect(frame.last!.contains("[/] find") && !frame.joined().contains("F12]"))
    }

    @Test("The ticket says what was paid; a declined card is said once")
    func ticketAndDecline() throws {
        var driver = KioskDriver()
        try driver.openPayment()
        var transcript = PlainTranscript()
        _ = transcript.lines(for: driver.kiosk)
        driver.press(.character("3"), .enter)
        try driver.answer("PAY tok_chargeDeclined", "ERR PAYMENT_FAILED DECLINED 2")
        #expect(driver.frameText.components(separatedBy: "Your card was declined.").count == 2, "said once")
        #expect(transcript.lines(for: driver.kiosk).filter { $0.contains("Your card was declined.") }.count == 1)
        driver.press(.character("1"), .enter)
        try driver.answer("PAY tok_visa", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        #expect(driver.frameText.contains("Paid:     32.00 EUR"))
        #expect(PlainRenderer().text(driver.kiosk).contains("Paid 32.00 EUR."))
    }

    // MARK: A show withdrawn or changed

    @Test("Held seats freed by the box office: said at once; SHOWS without the show: withdrawn, back to the list")
    func withdrawnUnderHold() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.feed(.line("b 2"))
        try driver.answer("BEST 2", "OK HELD C4 C5 EXPIRES 300")
        driver.sent.removeAll()
        driver.feed(.event("EVENT SEATS 7 C4=AVAILABLE C5=AVAILABLE"))
        #expect(driver.kiosk.notice?.text.hasPrefix("Seat C4 C5 is no longer held for you") == true)
        #expect(!driver.frameText.contains("We held the best seats"))
        try driver.answer("SHOWS", Array(driver.showLines.dropFirst()), "OK 2")
        guard case .shows = driver.kiosk.screen else {
            Issue.record("not back on the list")
            return
        }
        #expect(driver.kiosk.notice?.text == "Sorry, this show was withdrawn from sale. Please choose another show.")
        #expect(driver.waiting("CLOSE") && driver.waiting("SHOWS"))
    }

    @Test(
        "UNKNOWN_SHOW on every path says the show was withdrawn and goes back to the list",
        arguments: ["HOLD", "BEST", "QUOTE", "PAY", "SEATS", "WATCH", "LAYOUT"])
    func unknownShow(request: String) throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        switch request {
        case "HOLD": driver.feed(.line("c4 c5"))
        case "BEST": driver.feed(.line("b 2"))
        case "QUOTE", "PAY":
            driver.feed(.line("c4 c5"))
            try driver.answer("HOLD C4 C5", "OK HELD C4 C5 EXPIRES 300")
            driver.feed(.line("p"))
            if request == "PAY" {
                try driver.answer("QUOTE", ["ITEM premium 2 1600 3200"], "OK 3200 EUR")
                driver.feed(.line("1"))
            }
        default:
            driver.feed(.event("EVENT LAYOUT 7"))
            driver.sent.removeAll { !$0.command.line.hasPrefix(request) }
            if request == "WATCH" { driver.feed(.event("EVENT SHUTDOWN")) }
        }
        if request == "WATCH" {
            // WATCH is sent on a fresh connection, after the session was resumed.
            try driver.reconnect()
            try driver.answer("RESUME", "OK RESUMED 0123456789abcdef0123 7 HELD EXPIRES 200")
            driver.sent.removeAll { !$0.command.line.hasPrefix("WATCH") }
        }
        try driver.answer(request, "ERR UNKNOWN_SHOW")
        guard case .shows = driver.kiosk.screen else {
            Issue.record("\(request): not back on the list")
            return
        }
        #expect(driver.kiosk.notice?.text.hasPrefix("Sorry, this show was withdrawn from sale") == true)
        #expect(!driver.frameText.contains("Something went wrong"))
    }

    @Test("EVENT LAYOUT: the map is read again, and the seats it freed are said in words")
    func layoutChanged() throws {
        var driver = try Self.holdingC4C5()
        driver.sent.removeAll()
        driver.feed(.event("EVENT LAYOUT 7"))
        #expect(driver.sent.map(\.command.line) == ["LAYOUT 7", "SEATS", "SHOWS"])
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("SEATS", KioskDriver.seats, "OK 19 AVAILABLE")
        #expect(
            driver.kiosk.notice?.text
                == "The theatre has just changed this show's seats, so seat C4 C5 is no longer held for you. Please choose again."
        )
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        #expect(driver.seatScreen != nil, "still on sale: the customer stays on the map")
    }
}
