import Foundation
import KioskUI
import Testing

/// The whole programme at the kiosk: the strip of days, browsing by film, the seats left, and times in the
/// theatre's zone.
@Suite("Kiosk browsing the programme")
struct KioskBrowsingTests {
    /// The test clock's day at `time` UTC, `days` later: `2026-11-17T20:00:00Z`.
    static func instant(_ driver: KioskDriver, days: Int, _ time: String) -> String {
        let day = ISO8601DateFormatter().string(from: driver.clock.addingTimeInterval(Double(days) * 86_400))
        return "\(day.prefix(10))T\(time):00Z"
    }

    /// Shows today, and three and four days later; the theatre in Europe/Paris.
    static func weekLines(_ driver: KioskDriver) -> [String] {
        [
            "ZONE Europe/Paris",
            "SHOW 7 1 \(instant(driver, days: 0, "20:00")) 120 Night Train to Lisbon",
            "FREE 7 120 216",
            "SHOW 8 2 \(instant(driver, days: 0, "21:30")) 95 Paper Moons",
            "FREE 8 3 104",
            "SHOW 20 1 \(instant(driver, days: 3, "17:00")) 120 Night Train to Lisbon",
            "FREE 20 0 216",
            "SHOW 21 1 \(instant(driver, days: 4, "19:00")) 120 Night Train to Lisbon",
        ]
    }

    /// Logs in under `timeZone` and answers SHOWS with ``weekLines(_:)``, leaving PRICES and LAYOUT unanswered.
    static func loggedIn(timeZone: TimeZone = TimeZone(identifier: "Asia/Tokyo")!) throws -> KioskDriver {
        var driver = KioskDriver(timeZone: timeZone)
        try driver.submitLogin()
        try driver.answer("LOGIN alice password123", "OK LOGGED_IN alice")
        try driver.answer("SHOWS", weekLines(driver), "OK 4")
        return driver
    }

    var list: (KioskDriver) -> ShowList? = { driver in
        if case .shows(let list) = driver.kiosk.screen { return list }
        return nil
    }

    @Test("ZONE names the theatre's zone: a kiosk in Tokyo shows Paris times, and days are Paris days")
    func theatreZone() throws {
        let driver = try Self.loggedIn()
        #expect(driver.kiosk.timeZone.identifier == "Europe/Paris")
        let text = driver.frameText
        #expect(text.contains("> 21:00  Screen 1"), "20:00 UTC is 21:00 in Paris in November")
        #expect(text.contains("22:30  Screen 2"))
        #expect(text.contains("Shows on Today, Wednesday 18 November"))
        #expect(text.contains("[Today]") && text.contains(" Tomorrow ") && text.contains(" Sat 21 Nov "))
    }

    @Test("The strip of days: today, tomorrow, then the days with shows; Left and Right move, the heading follows")
    func dayStrip() throws {
        var driver = try Self.loggedIn()
        #expect(list(driver)?.days.count == 4)
        driver.press(.right)
        #expect(driver.frameText.contains("Tomorrow, Thursday 19 November: no shows left. Try another day."))
        driver.press(.right)
        #expect(driver.frameText.contains("Shows on Saturday 21 November"))
        #expect(list(driver)?.shows.map(\.id) == ["20"])
        driver.press(.right, .right)
        #expect(list(driver)?.shows.map(\.id) == ["21"], "the strip ends at the programme's last day")
        driver.press(.left, .left, .left)
        #expect(list(driver)?.shows.map(\.id) == ["7", "8"])
    }

    @Test("Seats left per show: a count, almost full, sold out; a sold-out show opens nothing")
    func seatsLeft() throws {
        var driver = try Self.loggedIn()
        let today = driver.frameText
        #expect(today.contains("120 seats left"))
        #expect(today.contains("almost full: 3 left"))
        driver.press(.right, .right)
        #expect(driver.frameText.contains("sold out"))
        driver.sent.removeAll()
        driver.press(.enter)
        #expect(!driver.waiting("START"))
        #expect(driver.kiosk.notice?.text == "Sorry, this show is sold out. Please choose another.")
    }

    @Test("f browses by film: every show of the film under the cursor, day by day; Left and Right change film")
    func byFilm() throws {
        var driver = try Self.loggedIn()
        driver.press(.character("f"))
        #expect(list(driver)?.browse == .byFilm)
        #expect(list(driver)?.shows.map(\.id) == ["7", "20", "21"])
        let text = driver.frameText
        #expect(text.contains("Night Train to Lisbon: every show"))
        #expect(text.contains("Today, Wednesday 18 November") && text.contains("Saturday 21 November"))
        #expect(text.contains("Shows by film"))
        driver.press(.right)
        #expect(list(driver)?.shows.map(\.id) == ["8"])
        driver.press(.character("f"))
        #expect(list(driver)?.browse == .byDay)
        #expect(list(driver)?.shows.map(\.id) == ["7", "8"])
    }

    @Test("Back from a seat map, the list opens on the day the customer chose")
    func dayKept() throws {
        var driver = try Self.loggedIn()
        driver.sent.removeAll()
        driver.press(.right, .right, .right)
        driver.sent.removeAll()
        driver.press(.enter)
        try driver.answer("START 21", "OK SESSION 0123456789abcdef0123 21")
        driver.sent.removeAll()
        driver.press(.escape)
        driver.sent.removeAll { $0.command != .shows }
        try driver.answer("SHOWS", Self.weekLines(driver), "OK 4")
        #expect(list(driver)?.shows.map(\.id) == ["21"])
    }

    @Test("Plain mode: the list is said once its prices came, d and f choose a day or a film")
    func plainBrowsing() throws {
        var driver = try Self.loggedIn()
        var transcript = PlainTranscript()
        #expect(transcript.lines(for: driver.kiosk) == ["Loading the shows."])
        for show in ["7", "8"] { try driver.answer("PRICES \(show)", ["PRICE standard 1200"], "OK EUR") }
        #expect(transcript.lines(for: driver.kiosk).isEmpty, "not yet: the screens' names are still awaited")
        try driver.answer("LAYOUT 7", KioskDriver.layout, "OK 3")
        try driver.answer("LAYOUT 8", ["SCREEN 2 Studio", "ROW A ssss"], "OK 1")
        let said = transcript.lines(for: driver.kiosk)
        #expect(said.first == "Shows on Today, Wednesday 18 November:")
        #expect(said.contains("2. Paper Moons at 22:30, screen 2, almost full: 3 left, 12.00 EUR"))
        #expect(said.contains("Days: d1 Today, d2 Tomorrow, d3 Sat 21 Nov, d4 Sun 22 Nov."))
        #expect(transcript.lines(for: driver.kiosk).isEmpty, "said once")
        driver.feed(.line("d 4"))
        try driver.answer("PRICES 21", ["PRICE standard 1200"], "OK EUR")
        #expect(transcript.lines(for: driver.kiosk).contains("1. Night Train to Lisbon at 20:00, screen 1, 12.00 EUR"))
        driver.feed(.line("f 1"))
        try driver.answer("PRICES 20", ["PRICE standard 1200"], "OK EUR")
        let film = transcript.lines(for: driver.kiosk)
        #expect(film.first == "Every show of Night Train to Lisbon:")
        #expect(film.contains { $0.hasPrefix("2. Saturday 21 November at 18:00, screen 1, sold out") })
        driver.feed(.line("d 9"))
        #expect(driver.kiosk.notice?.text == "Please answer with a day's number, from 1 to 4.")
    }
}
