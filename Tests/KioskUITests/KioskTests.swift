import BoxOfficeCore
import Foundation
import KioskUI
import Testing

@Suite("Kiosk state machine")
struct KioskTests {
    @Test(
        "Money in minor units reads as people write it",
        arguments: [
            (2400, "EUR", "24.00 EUR"), (5, "EUR", "0.05 EUR"), (0, "GBP", "0.00 GBP"), (-150, "EUR", "-1.50 EUR"),
            (123_456, "USD", "1234.56 USD"), (500, "JPY", "500 JPY"), (1234, "KWD", "1.234 KWD"),
        ])
    func money(amount: Int, currency: String, text: String) {
        #expect(Money.format(amount, currency) == text)
    }

    @Test("Logging in lists today's shows grouped by film, with screens and prices")
    func showList() throws {
        var driver = KioskDriver()
        try driver.logIn()
        guard case .shows(let list) = driver.kiosk.screen else { Issue.record("not on shows"); return }
        #expect(list.shows.map(\.id) == ["7", "9", "8"])
        let frame = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)
        #expect(frame.count == 24 && frame.allSatisfy { $0.count == 80 })
        let text = frame.joined(separator: "\n")
        #expect(text.contains("Night Train to Lisbon"))
        #expect(text.contains("> 20:00  Screen 1 Grand"))
        #expect(text.contains("12.00 EUR, premium 16.00 EUR"))
        #expect(frame.last!.contains("[Enter] pick seats"))
    }

    @Test("The password is never drawn, only stars")
    func passwordMasked() {
        var driver = KioskDriver()
        driver.feed(.connected)
        driver.press(.enter)
        driver.type("bob")
        driver.press(.enter)
        driver.type("hunter22")
        let text = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined()
        #expect(!text.contains("hunter22"))
        #expect(text.contains("Password: ********_"))
    }

    @Test("The seat map of a layout with aisles, in 80x24")
    func seatMapRendering() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        let frame = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)
        #expect(frame.count == 24)
        let rows = frame.filter { $0.contains("  A") || $0.contains("B  ") || $0.contains("C  ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(frame.contains { $0.contains("SCREEN") })
        #expect(
            rows == [
                "A   w  w     o  o  o  o     w  w   A",
                "B   x  o     o  # [o] o     o  o   B",
                "C   p  p     p  p  p  p     p  p   C",
            ])
        #expect(frame.contains { $0.hasPrefix(ScreenRenderer.legend) })
        #expect(frame.last!.contains("[Space] choose"))
    }

    @Test("Every seat state has its own symbol, not only its own colour")
    func symbols() {
        var seen: Set<Character> = []
        for state in [SeatState.available, .held, .sold, .blocked, .mine] {
            seen.insert(ScreenRenderer.symbol(state, kind: .standard, chosen: false))
        }
        seen.insert(ScreenRenderer.symbol(.available, kind: .wheelchair, chosen: false))
        seen.insert(ScreenRenderer.symbol(.available, kind: .standard, chosen: true))
        seen.insert(ScreenRenderer.symbol(.available, kind: .premium, chosen: false))
        #expect(seen == ["o", "h", "x", "#", "*", "w", "+", "p"])
    }

    @Test("Arrows skip aisles; Space chooses; Enter holds; the countdown starts")
    func chooseAndHold() throws {
        var driver = try {
            var driver = KioskDriver(idleReset: 600); try driver.openSeatMap(); return driver
        }()
        #expect(driver.seatScreen?.map.seatUnderCursor?.id.description == "B5")
        driver.press(.left, .character(" "))  // B4 is blocked: the cursor stands on it, but it cannot be chosen
        #expect(driver.kiosk.notice?.text == "Seat B4 cannot be booked.")
        driver.press(.up, .left, .left)
        #expect(driver.seatScreen?.map.seatUnderCursor?.id.description == "A2")
        driver.press(.right, .character(" "), .right, .character(" "))
        #expect(driver.seatScreen?.map.selection == [SeatID("A3")!, SeatID("A4")!])
        driver.press(.enter)
        try driver.answer("HOLD A3 A4", "OK HELD A3 A4 EXPIRES 300")
        #expect(driver.seatScreen?.map.mine == [SeatID("A3")!, SeatID("A4")!])
        #expect(driver.kiosk.secondsLeft == 300)
        driver.advance(245)
        let header = ScreenRenderer(width: 100, height: 30).frame(driver.kiosk)[0]
        #expect(header.hasSuffix("Time left 0:55 - hurry, your seats will be released!"))
    }

    @Test(
        "Countdown text",
        arguments: [
            (300, "Time left 5:00"), (61, "Time left 1:01"),
            (60, "Time left 1:00 - hurry, your seats will be released!"),
            (5, "Time left 0:05 - hurry, your seats will be released!"),
        ])
    func countdown(seconds: Int, text: String) {
        #expect(ScreenRenderer.countdown(seconds) == text)
    }

    @Test("SEATS_UNAVAILABLE is said in plain words and the seats are read again")
    func seatsTaken() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.goTo("C4")
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD C4", "ERR SEATS_UNAVAILABLE C4")
        #expect(driver.kiosk.notice?.text.hasPrefix("Sorry, seat C4 was just taken by someone else.") == true)
        _ = try driver.take("SEATS")
    }

    @Test("EVENT SEATS changes the map live; the customer's own held seats stay theirs")
    func liveEvents() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.goTo("C4")
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD C4", "OK HELD C4 EXPIRES 300")
        driver.press(.right, .character(" "))
        driver.feed(
            .event("EVENT SEATS 7 C4=TEMPORARILY_UNAVAILABLE C5=TEMPORARILY_UNAVAILABLE A1=PERMANENTLY_UNAVAILABLE"))
        let map = try #require(driver.seatScreen?.map)
        #expect(map.state(of: SeatID("C4")!) == .mine)
        #expect(map.state(of: SeatID("A1")!) == .sold)
        #expect(map.state(of: SeatID("C5")!) == .held)
        #expect(map.selection.isEmpty)
        #expect(driver.kiosk.notice?.text == "Seat C5 was just taken by someone else.")
        driver.feed(.event("EVENT SEATS 8 A1=AVAILABLE"))  // another show
        #expect(driver.seatScreen?.map.state(of: SeatID("A1")!) == .sold)
        driver.feed(.event("EVENT LAYOUT 7"))
        _ = try driver.take("LAYOUT 7")
        _ = try driver.take("SEATS")
        _ = try driver.take("SHOWS")
    }

    @Test("Typing a seat id jumps to it, in either case; b and Enter, then a number, asks BEST")
    func jumpAndBest() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.goTo("B7")
        #expect(driver.seatScreen?.map.seatUnderCursor?.id.description == "B7")
        driver.goTo("b3")  // row B in lower case is a seat, not the best-seats key
        #expect(driver.seatScreen?.map.seatUnderCursor?.id.description == "B3")
        #expect(driver.sent.isEmpty && driver.seatScreen?.prompt == nil)
        driver.press(.character("/"))
        driver.type("a2")
        driver.press(.enter)
        #expect(driver.seatScreen?.map.seatUnderCursor?.id.description == "A2")
        driver.type("Z9")
        driver.press(.enter)
        #expect(driver.kiosk.notice?.text == "There is no seat Z9 in this auditorium.")
        driver.press(.character("b"), .enter)
        #expect(driver.seatScreen?.prompt == .best("", adding: false))
        driver.type("3")
        driver.press(.enter)
        try driver.answer("BEST 3", "OK HELD C3 C5 C6 EXPIRES 299 SPLIT")
        #expect(driver.seatScreen?.map.mine.count == 3)
        #expect(driver.kiosk.notice?.text.hasPrefix("There were not 3 seats together") == true)
    }

    @Test("EVENT EXPIRED: said in plain words, back to the show's seat map with a new START")
    func expiry() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD B5", "OK HELD B5 EXPIRES 3")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM premium 1 1600 1600"], "OK 1600 EUR")
        guard case .payment = driver.kiosk.screen else { Issue.record("not on payment"); return }
        driver.feed(.event("EVENT EXPIRED ffffffffffffffffffff"))  // not ours
        guard case .payment = driver.kiosk.screen else { Issue.record("left payment"); return }
        driver.feed(.event("EVENT EXPIRED 0123456789abcdef0123"))
        #expect(driver.kiosk.notice?.text == "Your seats were released because time ran out.")
        #expect(driver.seatScreen?.map.mine.isEmpty == true)
        try driver.answer("START 7", "OK SESSION 11111111111111111111 7")
        #expect(driver.kiosk.session?.id == "11111111111111111111")
    }

    @Test("Payment: the quote in money, a decline with its reason and attempts left, then the ticket")
    func payment() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.goTo("C4")
        driver.press(.character(" "), .right, .character(" "), .enter)
        try driver.answer("HOLD C4 C5", "OK HELD C4 C5 EXPIRES 300")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM premium 2 1600 3200"], "OK 3200 EUR")
        var text = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined(separator: "\n")
        #expect(text.contains("2 x premium    at 16.00 EUR    32.00 EUR"))
        #expect(text.contains("Total: 32.00 EUR"))
        #expect(text.contains("tok_chargeDeclinedInsufficientFunds"))
        driver.press(.character("4"), .enter)
        try driver.answer("PAY tok_chargeDeclinedInsufficientFunds", "ERR PAYMENT_FAILED INSUFFICIENT_FUNDS 2")
        text = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined(separator: "\n")
        #expect(text.contains("Your card was declined: insufficient funds. 2 attempts left."))
        driver.press(.character("1"), .enter)
        try driver.answer("PAY tok_visa", "OK BOOKED BKZD146JA5Q8 7 C4 C5")
        text = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined(separator: "\n")
        for expected in ["Night Train to Lisbon", "Screen:   1 Grand", "20:00", "C4 C5", "BKZD146JA5Q8"] {
            #expect(text.contains(expected), "\(expected)")
        }
        #expect(driver.kiosk.session == nil)
    }

    @Test("The last declined payment releases the seats and starts again")
    func lastAttempt() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD B5 EXPIRES 300")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM standard 1 1200 1200"], "OK 1200 EUR")
        driver.press(.character("3"), .enter)
        try driver.answer("PAY", "ERR PAYMENT_FAILED DECLINED 0")
        #expect(driver.kiosk.notice?.text.contains("No attempts are left") == true)
        _ = try driver.take("START 7")
    }

    @Test("Idle reset closes the session, logs out and forgets the customer")
    func idleReset() throws {
        var driver = KioskDriver(idleReset: 90)
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD B5 EXPIRES 300")
        driver.sent.removeAll()
        driver.advance(89)
        #expect(driver.kiosk.hasCustomerData)
        driver.advance(1)
        #expect(driver.sent.map(\.command.line).filter { $0 != "PING" } == ["CLOSE", "UNWATCH", "LOGOUT"])
        #expect(!driver.kiosk.hasCustomerData)
        #expect(driver.kiosk.customerName == nil && driver.kiosk.session == nil && driver.kiosk.listings.isEmpty)
        guard case .welcome(let form) = driver.kiosk.screen else { Issue.record("not welcome"); return }
        #expect(form == WelcomeForm())
        let text = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined()
        #expect(!text.contains("alice") && !text.contains("Lisbon"))
        // A late reply for the customer who left is ignored.
        let stale = Request(.shows, epoch: driver.kiosk.epoch - 1)
        driver.feed(.reply(stale, ServerReply(data: driver.showLines, final: "OK 3")))
        #expect(driver.kiosk.listings.isEmpty)
    }

    @Test("A lost connection: backoff from 0.5 s doubling to 10 s, then KIOSK, LOGIN and RESUME")
    func reconnect() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD C4 EXPIRES 300")
        driver.sent.removeAll()
        var delays: [Double] = []
        for _ in 0..<7 {
            for case .reconnect(_, let delay) in driver.feed(.disconnected) { delays.append(delay) }
        }
        #expect(delays == [0.5, 1, 2, 4, 8, 10, 10])
        #expect(ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)[0].contains("Reconnecting..."))
        driver.feed(.connected)
        try driver.answer("KIOSK demo s3cret", "OK KIOSK demo")
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        try driver.answer("RESUME 0123456789abcdef0123", "OK RESUMED 0123456789abcdef0123 7 HELD C4 EXPIRES 250")
        #expect(driver.kiosk.secondsLeft == 250)
        #expect(driver.seatScreen?.map.mine == [SeatID("C4")!])
        _ = try driver.take("WATCH 7")
        _ = try driver.take("SEATS")
        // The next loss starts from 0.5 s again.
        #expect(driver.feed(.disconnected) == [.reconnect(to: KioskDriver.daemon, after: 0.5)])
    }

    @Test("EVENT SHUTDOWN is a lost connection")
    func shutdown() throws {
        var driver = KioskDriver()
        try driver.logIn()
        #expect(driver.feed(.event("EVENT SHUTDOWN")) == [.reconnect(to: KioskDriver.daemon, after: 0.5)])
        #expect(driver.kiosk.link == .connecting)
    }

    @Test("A session gone while offline is said plainly and started again")
    func resumeFailed() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        try driver.answer("LOGIN", "OK LOGGED_IN alice")
        try driver.answer("RESUME", "ERR NO_SESSION")
        #expect(driver.kiosk.notice?.text.contains("released while the kiosk was offline") == true)
        _ = try driver.take("START 7")
    }

    @Test("Keys from terminal bytes: arrows, Enter, Escape, UTF-8")
    func keyDecoding() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[A\u{1B}[B\u{1B}OC\u{1B}[D".utf8)) == [.up, .down, .right, .left])
        #expect(decoder.feed([0x1B]) == [.escape])
        #expect(decoder.feed([0x0D, 0x7F, 0x20, 0x03]) == [.enter, .backspace, .character(" "), .interrupt])
        #expect(decoder.feed(Array("é".utf8)) == [.character("é")])
        #expect(decoder.feed([0x1B, 0x5B]) == [])
        #expect(decoder.feed([0x41]) == [.up])
    }

    @Test("Plain mode: numbered menus and answers a line at a time")
    func plainMode() throws {
        var driver = KioskDriver()
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        #expect(PlainRenderer().text(driver.kiosk).contains("2. New customer: create an account"))
        driver.feed(.line("2"))
        driver.feed(.line("carol"))
        #expect(driver.kiosk.wantsSecretInput)
        driver.feed(.line("password123"))
        try driver.answer("REGISTER carol password123", "OK REGISTERED carol")
        try driver.answer("LOGIN carol password123", "OK LOGGED_IN carol")
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        try driver.answerShowDetails()
        let menu = PlainRenderer().text(driver.kiosk)
        #expect(menu.contains { $0.hasPrefix("1. Night Train to Lisbon at 20:00") })
        driver.feed(.line("1"))
        try driver.answer("START 7", "OK SESSION 0123456789abcdef0123 7")
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("WATCH 7", "OK WATCHING 7")
        try driver.answer("SEATS", KioskDriver.seats, "OK 19 AVAILABLE")
        #expect(PlainRenderer().text(driver.kiosk).contains("Row B: B2 B3 B5 B6 B7 B8"))
        driver.feed(.line("c1 c2"))
        try driver.answer("HOLD C1 C2", "OK HELD C1 C2 EXPIRES 300")
        driver.feed(.line("p"))
        try driver.answer("QUOTE", ["ITEM premium 2 1600 3200"], "OK 3200 EUR")
        #expect(PlainRenderer().text(driver.kiosk).contains("Total: 32.00 EUR."))
        driver.feed(.line("1"))
        try driver.answer("PAY tok_visa", "OK BOOKED BKZD146JA5Q8 7 C1 C2")
        #expect(PlainRenderer().text(driver.kiosk).first == "Your booking is confirmed. Booking BKZD146JA5Q8.")
    }

    @Test("Enter before the shows are listed picks nothing: the kiosk says it is loading, then Enter picks")
    func enterWhileShowsLoad() throws {
        var driver = KioskDriver()
        try driver.submitLogin()
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        let loading = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)
        #expect(loading.joined().contains("Loading the shows..."))
        #expect(!loading.last!.contains("[Enter] pick seats"), "no Enter offered before the list is there")
        driver.press(.enter)
        #expect(!driver.sent.contains { $0.command.line.hasPrefix("START") })
        #expect(driver.kiosk.notice?.text.contains("still loading") == true, "the Enter is answered, not lost")
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        try driver.answerShowDetails()
        #expect(driver.kiosk.notice == nil)
        #expect(ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).last!.contains("[Enter] pick seats"))
        driver.press(.enter)
        _ = try driver.take("START 7")
    }

    @Test("Seat keys before SEATS answered choose nothing: the map says it is loading until it is whole")
    func keysWhileSeatsLoad() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.press(.enter)
        try driver.answer("START 7", "OK SESSION 0123456789abcdef0123 7")
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("WATCH 7", "OK WATCHING 7")
        let loading = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk)
        #expect(loading.joined().contains("Loading the seats..."))
        #expect(!loading.contains { $0.contains("SCREEN") }, "no map before the seats' states are known")
        driver.press(.character(" "))
        #expect(driver.seatScreen?.map.selection.isEmpty == true)
        #expect(driver.kiosk.notice?.text.contains("still loading") == true)
        try driver.answer("SEATS", KioskDriver.seats, "OK 19 AVAILABLE")
        #expect(driver.kiosk.notice == nil)
        #expect(ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).contains { $0.contains("SCREEN") })
        driver.press(.character(" "))
        #expect(driver.seatScreen?.map.selection.count == 1)
    }

    @Test(
        "A refused login says how long to wait, as the daemon said",
        arguments: [
            ("ERR RATE_LIMITED 30", "Too many attempts. Please try again in 30 seconds."),
            ("ERR RATE_LIMITED 900", "Too many attempts. Please try again in 15 minutes."),
            ("ERR RATE_LIMITED", "Too many attempts. Please wait a few minutes."),
        ])
    func rateLimitedWords(reply: String, words: String) throws {
        var driver = KioskDriver()
        try driver.submitLogin()
        try driver.answer("LOGIN alice password123", reply)
        #expect(driver.kiosk.notice?.text == words)
    }
}
