import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// Odd replies, lost connections, double keys and small terminals: the kiosk neither traps nor gets stuck.
@Suite("Kiosk under odd conditions")
struct KioskRecoveryTests {
    // MARK: Replies

    @Test("RESUME of a show whose id is EXPIRES: parsed by position, not by the first EXPIRES")
    func resumeShowNamedExpires() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        try driver.answer("LOGIN", "OK LOGGED_IN alice")
        try driver.answer("RESUME", "OK RESUMED 0123456789abcdef0123 EXPIRES HELD A1 EXPIRES 250")
        #expect(driver.kiosk.session?.showID == "EXPIRES")
        #expect(driver.kiosk.secondsLeft == 250)
    }

    @Test(
        "A RESUME reply of the wrong shape is a failed RESUME, not a crash",
        arguments: [
            "OK RESUMED", "OK RESUMED 0123456789abcdef0123 7 HELD", "OK RESUMED 0123456789abcdef0123 7 HELD EXPIRES",
            "OK RESUMED 0123456789abcdef0123 7 HELD A1 EXPIRES soon", "OK RESUMED 0123456789abcdef0123 7 A1 EXPIRES 5",
            "OK RESUMED 0123456789abcdef0123 7 HELD a1 EXPIRES 5", "OK RESUMED 0123456789abcdef0123 7 HELD EXPIRES 5 X",
            "OK EXPIRES", "OK", "ERR",
        ])
    func malformedResume(final: String) throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        try driver.answer("LOGIN", "OK LOGGED_IN alice")
        try driver.answer("RESUME", final)
        #expect(driver.kiosk.notice?.text.contains("released while the kiosk was offline") == true)
        _ = try driver.take("START 7")
    }

    @Test(
        "Replies of odd shapes to every request on the seat map and the payment screen change nothing dangerous",
        arguments: [
            "OK", "OK HELD", "OK HELD EXPIRES", "OK HELD EXPIRES -5", "OK HELD A1 EXPIRES", "OK HELD EXPIRES EXPIRES",
            "OK BOOKED", "OK BOOKED BK1", "OK SESSION", "OK 12", "OK x y z", "ERR", "ERR PAYMENT_FAILED",
            "ERR PAYMENT_FAILED DECLINED", "ERR SEATS_UNAVAILABLE", "ERR SEAT_LIMIT", "ERR UNKNOWN_SEAT",
            "ERR PRICE_CHANGED", "ERR PRICE_CHANGED 1500", "ERR PRICE_CHANGED x EUR",
        ])
    func oddReplies(final: String) throws {
        let data = [["SEAT"], ["SEAT A1"], ["SEAT A1 AVAILABLE"], ["ROW"], ["ROW A"], ["ITEM x"], ["BOOKING BK1"]]
        let commands: [KioskCommand] = [
            .hold([SeatID("A1")!]), .best(2), .best(2, replace: true), .release([SeatID("A1")!]), .quote(),
            .pay(token: "tok_visa", amount: 1200, currency: "EUR"),
            .start(show: "7"), .resume(session: "0123456789abcdef0123", show: "7"), .seats, .layout(show: "7"),
            .prices(show: "7"), .bookings, .shows, .login(user: "alice", password: "password123"), .watch(show: "7"),
            .kiosk(id: "demo", secret: "s3cret"), .quit,
        ]
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD B5 EXPIRES 300")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM standard 1 1200 1200"], "OK 1200 EUR")
        for lines in data + [[]] {
            for command in commands {
                var payment = driver.kiosk
                _ = payment.handle(
                    .reply(Request(command, epoch: payment.epoch), ServerReply(data: lines, final: final)),
                    at: driver.clock)
                var seats = driver.kiosk
                _ = seats.handle(.key(.escape), at: driver.clock)
                _ = seats.handle(
                    .reply(Request(command, epoch: seats.epoch), ServerReply(data: lines, final: final)),
                    at: driver.clock)
                _ = ScreenRenderer(width: 80, height: 24).frame(payment)
                _ = ScreenRenderer(width: 80, height: 24).frame(seats)
                _ = PlainRenderer().text(payment)
                _ = PlainRenderer().text(seats)
            }
        }
    }

    // MARK: Logging in

    @Test("A LOGIN cut off by a lost connection, sent again on the welcome form, goes on to the shows")
    func loginRestoredOnWelcome() throws {
        var driver = KioskDriver()
        try driver.submitLogin()
        #expect(driver.waiting("LOGIN alice"))
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK demo s3cret", "OK KIOSK demo")
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        guard case .shows = driver.kiosk.screen else {
            Issue.record("not on the shows: \(driver.kiosk.screen)")
            return
        }
        _ = try driver.take("SHOWS")
    }

    @Test("ALREADY_AUTHENTICATED: LOGOUT and LOGIN again, once")
    func alreadyAuthenticated() throws {
        var driver = KioskDriver()
        try driver.submitLogin()
        try driver.answer("LOGIN alice password123", "ERR ALREADY_AUTHENTICATED")
        try driver.answer("LOGOUT", "OK LOGGED_OUT")
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        _ = try driver.take("SHOWS")

        var stuck = KioskDriver()
        try stuck.submitLogin(typing: "bob")
        try stuck.answer("LOGIN", "ERR ALREADY_AUTHENTICATED")
        try stuck.answer("LOGOUT", "OK LOGGED_OUT")
        try stuck.answer("LOGIN", "ERR ALREADY_AUTHENTICATED")
        #expect(stuck.sent.isEmpty, "no endless retry")
        guard case .welcome(let form) = stuck.kiosk.screen else {
            Issue.record("not on the welcome form")
            return
        }
        #expect(!form.busy)
        #expect(stuck.kiosk.notice?.isWarning == true)
    }

    @Test("An idle reset while a LOGIN is in flight logs out all the same")
    func resetWhileLoggingIn() throws {
        var driver = KioskDriver(idleReset: 90)
        try driver.submitLogin()
        driver.advance(90)
        #expect(driver.sent.map(\.command.line) == ["LOGIN alice password123", "LOGOUT"])
        #expect(!driver.kiosk.hasCustomerData)
        // The LOGIN's late answer is for a customer who has gone.
        try driver.answer("LOGIN", "OK LOGGED_IN alice")
        guard case .welcome = driver.kiosk.screen else {
            Issue.record("left the welcome screen")
            return
        }
    }

    // MARK: Payment and a lost connection

    @Test("RESUME on the payment screen watches the show again")
    func resumeOnPaymentWatches() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD B5 EXPIRES 300")
        driver.press(.enter)
        try driver.answer("QUOTE", ["ITEM standard 1 1200 1200"], "OK 1200 EUR")
        driver.feed(.disconnected)
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        try driver.answer("LOGIN", "OK LOGGED_IN alice")
        try driver.answer("RESUME", "OK RESUMED 0123456789abcdef0123 7 HELD B5 EXPIRES 200")
        try driver.answer("WATCH 7", "OK WATCHING 7")
        driver.press(.escape)  // back to the seats; a reset must now UNWATCH
        driver.sent.removeAll()
        driver.advance(91)
        #expect(driver.sent.map(\.command.line).filter { $0 != "PING" } == ["CLOSE", "UNWATCH", "LOGOUT"])
    }

    // MARK: Double sends

    @Test("Enter sends RELEASE and HOLD; the map is busy until both answered")
    func releaseAndHold() throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD B5", "OK HELD B5 EXPIRES 300")
        driver.press(.character(" "), .right, .character(" "), .enter)  // un-choose B5, choose B6
        #expect(driver.sent.map(\.command.line) == ["RELEASE B5", "HOLD B6"])
        try driver.answer("RELEASE B5", "OK HELD")
        #expect(driver.seatScreen?.busy == true)
        driver.press(.enter)
        #expect(driver.sent.map(\.command.line) == ["HOLD B6"], "no QUOTE while the HOLD is out")
        try driver.answer("HOLD B6", "OK HELD B6 EXPIRES 290")
        #expect(driver.seatScreen?.busy == false)
        #expect(driver.seatScreen?.map.mine == [SeatID("B6")!])
    }

    @Test("Enter twice on a show sends one START")
    func oneStart() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.press(.enter, .enter)
        #expect(driver.sent.map(\.command.line) == ["START 7"])
        try driver.answer("START 7", "ERR SHOW_STARTED")
        _ = try driver.take("SHOWS")
        driver.press(.enter)
        #expect(driver.sent.map(\.command.line) == ["START 7"], "answered: a show can be picked again")
    }

    // MARK: Plain mode

    @Test("Plain mode says the time left when seats are held and at the last minute, not every second")
    func plainCountdown() throws {
        var driver = KioskDriver(idleReset: 600)
        try driver.openSeatMap()
        driver.feed(.line("c1"))
        try driver.answer("HOLD C1", "OK HELD C1 EXPIRES 300")
        let held = PlainRenderer().text(driver.kiosk)
        #expect(held.contains("You have 5 minutes 0 seconds to pay."))
        driver.advance(7)
        #expect(PlainRenderer().text(driver.kiosk) == held)
        driver.advance(200)
        #expect(PlainRenderer().text(driver.kiosk) == held)
        driver.advance(40)  // 53 s left
        let warned = PlainRenderer().text(driver.kiosk)
        #expect(warned.contains { $0.hasPrefix("Less than a minute is left to pay") })
        driver.advance(20)
        #expect(PlainRenderer().text(driver.kiosk) == warned)
    }

    // MARK: Small terminals

    @Test("A long notice on a small terminal: exactly the terminal's lines, no trap", arguments: [(20, 6), (40, 12)])
    func smallTerminal(width: Int, height: Int) throws {
        var driver = KioskDriver()
        try driver.openSeatMap()
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD", "OK HELD B5 EXPIRES 300")
        driver.press(.right, .character(" "), .enter)
        let taken = (1...60).map { "AB\($0)" }.joined(separator: " ")
        try driver.answer("HOLD", "ERR SEATS_UNAVAILABLE \(taken)")
        #expect((driver.kiosk.notice?.text.count ?? 0) > 200)
        var prompted = driver.kiosk
        _ = prompted.handle(.key(.character("b")), at: driver.clock)
        for kiosk in [driver.kiosk, prompted] {
            let frame = ScreenRenderer(width: width, height: height).frame(kiosk)
            #expect(frame.count == height)
            #expect(frame.allSatisfy { $0.count == width })
        }
    }

    // MARK: Configuration

    @Test(
        "A secret file: its first line, without whitespace or control characters, at most 256 bytes",
        arguments: [
            ("s3cret", "s3cret"), ("s3cret\n", "s3cret"), ("s3cret\r\n", "s3cret"), ("s3cret\nsecond line\n", "s3cret"),
            (String(repeating: "a", count: 256), String(repeating: "a", count: 256)),
            (String(repeating: "a", count: 257), nil), ("", nil), ("\ns3cret", nil), ("s3 cret", nil),
            ("s3cret\t", nil), ("s3\u{7}cret", nil), (" s3cret", nil),
        ] as [(String, String?)])
    func secretFile(contents: String, secret: String?) {
        #expect((try? KioskConfiguration.secret(fromFile: Array(contents.utf8))) == secret)
    }

    @Test(
        "Kiosk ids: 1 to 64 of A-Z a-z 0-9 _ . -",
        arguments: [
            ("lobby", true), ("Lobby-2_b.c", true), (String(repeating: "k", count: 64), true), ("", false),
            (String(repeating: "k", count: 65), false), ("lob by", false), ("lobby\n", false), ("café", false),
        ])
    func kioskID(id: String, valid: Bool) {
        #expect(KioskConfiguration.isValidKioskID(id) == valid)
    }
}
