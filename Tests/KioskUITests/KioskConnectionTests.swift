import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// The connection's health: PINGs that go unanswered, a kiosk the daemon refuses, errors of My bookings, and plain
/// mode's fresh page for each customer.
@Suite("Kiosk connection and fresh starts")
struct KioskConnectionTests {
    // MARK: Before the box office answers

    @Test("A form sent before the first connection says Connecting...; after a lost one, Reconnecting...")
    func connectingOrReconnecting() throws {
        var driver = KioskDriver()
        driver.press(.enter)
        driver.type("alice")
        driver.press(.enter)
        driver.type("password123")
        driver.press(.enter)
        #expect(driver.kiosk.notice?.text == "Connecting... please try again in a moment.")
        #expect(!driver.waiting("LOGIN"))

        driver.feed(.connected)
        try driver.answer("KIOSK demo s3cret", "OK KIOSK demo")
        driver.feed(.disconnected)
        driver.press(.enter)
        #expect(driver.kiosk.notice?.text == "Reconnecting... please try again in a moment.")
        #expect(!driver.waiting("LOGIN"))
    }

    // MARK: PING

    @Test("After a minute of silence the kiosk PINGs; an answer keeps the connection")
    func pingAnswered() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.advance(59)
        #expect(!driver.waiting("PING"))
        driver.advance(1)
        #expect(driver.waiting("PING"))
        driver.advance(5)
        try driver.answer("PING", "OK PONG")
        driver.advance(30)
        #expect(driver.kiosk.link == .ready)
        #expect(!driver.lastActions.contains { if case .reconnect = $0 { true } else { false } })
    }

    @Test("A PING without an answer within 10 seconds is a lost connection")
    func pingUnanswered() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.advance(60)
        #expect(driver.waiting("PING"))
        driver.advance(9)
        #expect(driver.kiosk.link == .ready)
        driver.advance(1)
        #expect(driver.lastActions == [.reconnect(to: KioskDriver.daemon, after: 0.5)])
        #expect(driver.kiosk.link == .connecting)
        // Not again while the kiosk waits to reconnect.
        driver.advance(10)
        #expect(driver.lastActions.isEmpty)
    }

    @Test("The PING's answer counts even after an idle reset changed the epoch")
    func pingAnsweredAfterReset() throws {
        var driver = KioskDriver(idleReset: 62)
        try driver.logIn()
        driver.advance(60)
        let ping = try #require(driver.sent.first { $0.command == .ping })
        driver.advance(2)
        #expect(driver.kiosk.customerName == nil)
        driver.feed(.reply(ping, ServerReply(final: "OK PONG")))
        driver.advance(20)
        #expect(driver.kiosk.link == .ready)
    }

    // MARK: A refused kiosk

    @Test("A refused KIOSK: a sticky call-staff message that keys do not clear, and a slow retry")
    func refusedKiosk() throws {
        var driver = KioskDriver()
        driver.feed(.connected)
        let actions = try driver.answer("KIOSK demo s3cret", "ERR AUTH_FAILED")
        #expect(actions == [.reconnect(to: KioskDriver.daemon, after: Kiosk.refusedRetryDelay)])
        #expect(driver.kiosk.refused)
        driver.press(.enter)
        driver.type("alice")
        driver.press(.escape)
        #expect(driver.kiosk.shownNotice == Kiosk.refusedNotice)
        let frame = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined(separator: "\n")
        #expect(frame.contains("cannot connect to the box office. Please call staff"))
        #expect(PlainRenderer().text(driver.kiosk).first == Kiosk.refusedNotice.text)
        // A connection that drops while refused is retried slowly too.
        driver.feed(.connected)
        #expect(driver.feed(.disconnected) == [.reconnect(to: KioskDriver.daemon, after: Kiosk.refusedRetryDelay)])
        // Once staff mended the secret, the next KIOSK succeeds and the message goes.
        driver.feed(.connected)
        try driver.answer("KIOSK demo s3cret", "OK KIOSK demo")
        #expect(!driver.kiosk.refused && driver.kiosk.shownNotice == nil && driver.kiosk.link == .ready)
    }

    @Test("KIOSK answered UNAVAILABLE is retried with the usual backoff, not taken for a wrong secret")
    func kioskUnavailable() throws {
        var driver = KioskDriver()
        driver.feed(.connected)
        #expect(try driver.answer("KIOSK", "ERR UNAVAILABLE") == [.reconnect(to: KioskDriver.daemon, after: 0.5)])
        #expect(!driver.kiosk.refused)
    }

    // MARK: My bookings

    @Test("My bookings answered with an error says so in plain words, and r tries again")
    func bookingsError() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.press(.character("m"))
        try driver.answer("BOOKINGS", "ERR UNAVAILABLE")
        guard case .bookings(.failed(let words)) = driver.kiosk.screen else {
            Issue.record("not a failed bookings screen: \(driver.kiosk.screen)")
            return
        }
        #expect(words.contains("could not read your bookings"))
        let frame = ScreenRenderer(width: 80, height: 24).frame(driver.kiosk).joined(separator: "\n")
        #expect(!frame.contains("no bookings") && frame.contains("could not read your bookings"))
        #expect(frame.contains("[r] try again"))
        #expect(!PlainRenderer().text(driver.kiosk).joined().contains("no bookings"))
        driver.press(.character("r"))
        #expect(driver.kiosk.screen == .bookings(.loading))
        try driver.answer("BOOKINGS", ["BOOKING BK0000000001 7 2026-11-17T20:00:00Z 2400 EUR A3 A4"], "OK 1")
        guard case .bookings(.loaded(let bookings)) = driver.kiosk.screen else {
            Issue.record("not loaded")
            return
        }
        #expect(bookings.map(\.id) == ["BK0000000001"])
    }

    @Test("Plain mode: r on a failed My bookings tries again")
    func bookingsErrorPlain() throws {
        var driver = KioskDriver()
        try driver.logIn()
        driver.feed(.line("m"))
        try driver.answer("BOOKINGS", "ERR INTERNAL")
        #expect(PlainRenderer().text(driver.kiosk).contains { $0.contains("could not read your bookings") })
        driver.feed(.line("r"))
        _ = try driver.take("BOOKINGS")
    }

    // MARK: Plain mode's fresh page

    @Test("Plain mode: a logout or an idle reset scrolls the previous customer away, without escape sequences")
    func plainScrollsAway() throws {
        var driver = KioskDriver(idleReset: 90)
        var transcript = PlainTranscript()
        #expect(transcript.lines(for: driver.kiosk) == ["Connecting to the box office..."])
        driver.feed(.connected)
        try driver.answer("KIOSK demo s3cret", "OK KIOSK demo")
        #expect(transcript.lines(for: driver.kiosk).contains("Welcome to the cinema."))
        driver.press(.enter)
        driver.type("alice")
        driver.press(.enter)
        driver.type("password123")
        driver.press(.enter)
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        try driver.answerShowDetails()
        let shows = transcript.lines(for: driver.kiosk)
        #expect(shows.contains { $0.contains("Night Train to Lisbon") })
        #expect(!shows.contains(PlainTranscript.separator))
        driver.feed(.line("q"))
        let afterLogout = transcript.lines(for: driver.kiosk)
        let separator = try #require(afterLogout.firstIndex(of: PlainTranscript.separator))
        let blanks = afterLogout[(separator + 1)...].prefix { $0.isEmpty }.count
        #expect(blanks == PlainTranscript.blankLinesAfterReset)
        #expect(afterLogout.last == "Answer 1 or 2:")
        #expect(afterLogout.firstIndex(of: "You are logged out. Thank you!").map { $0 < separator } == true)
        #expect(!afterLogout.joined().contains("\u{1B}"))
        // Nothing new, nothing written.
        #expect(transcript.lines(for: driver.kiosk).isEmpty)

        driver.feed(.line("1"))
        driver.feed(.line("bob"))
        _ = transcript.lines(for: driver.kiosk)
        driver.advance(90)
        let afterReset = transcript.lines(for: driver.kiosk)
        #expect(afterReset.contains(PlainTranscript.separator))
        #expect(afterReset.last == "Answer 1 or 2:")
    }

    // MARK: Dates

    @Test("Show times are written in each kiosk's own time zone, though formatters are kept")
    func dateFormatsPerZone() throws {
        var utc = KioskDriver()
        try utc.logIn()
        var tokyo = KioskDriver(timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        try tokyo.logIn()
        for _ in 0..<2 {
            #expect(PlainRenderer().text(utc.kiosk).contains { $0.contains("Night Train to Lisbon at 20:00") })
            #expect(PlainRenderer().text(tokyo.kiosk).contains { $0.contains("Night Train to Lisbon at 05:00") })
        }
    }
}
