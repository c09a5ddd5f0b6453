import BoxOfficeStore
import Foundation
import Programme
import RedisClient
import Testing

/// The whole programme, in the theatre's own time: the strip of days, and times that do not depend on the kiosk
/// machine's zone.
extension KioskTerminalTests {
    /// A day `days` after today in `zone`, as the kiosk names it (`Friday 4 December`), and its date for a programme
    /// (`2026-12-04`).
    static func day(_ days: Int, in zone: TimeZone) -> (name: String, date: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        func text(_ pattern: String) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_GB")
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            return formatter.string(from: day)
        }
        return (text("EEEE d MMMM"), text("yyyy-MM-dd"))
    }

    /// A programme in `Europe/Paris`: Paper Moons tomorrow at 18:00, Distant Shores four days on at 20:30.
    static func parisProgramme() -> String {
        let paris = TimeZone(identifier: "Europe/Paris")!
        return """
            [theatre]
            name = "Cinéma du Canal"
            time_zone = "Europe/Paris"
            currency = "EUR"

            [[screens]]
            id = "1"
            name = "Grande Salle"
            rows = ["A ssssssss", "B ssssssss", "C ssssssss", "D ssssssss"]

            [[films]]
            id = "moons"
            title = "Paper Moons"
            runtime = 95

            [[films]]
            id = "shores"
            title = "Distant Shores"
            runtime = 100

            [[shows]]
            id = "pm-1"
            film = "moons"
            screen = "1"
            start = \(day(1, in: paris).date)T18:00:00
            prices = { standard = 1200 }

            [[shows]]
            id = "ds-4"
            film = "shores"
            screen = "1"
            start = \(day(4, in: paris).date)T20:30:00
            prices = { standard = 1200 }
            """
    }

    @Test(
        "Theatre in Europe/Paris, kiosk under TZ=America/New_York: the strip reaches a show four days ahead, it sells, and every time shown is Paris time"
    )
    func theatreTime() async throws {
        let daemon = try await DemoDaemon(database: 9, kiosk: "lobby", secret: Self.secret)
        do {
            let programme = try Programme(parsing: Self.parisProgramme(), file: "paris.toml")
            _ = try await TheatreStore(redis: daemon.redis, keys: StoreKeys()!).load(programme.theatre)
        } catch {
            await daemon.cleanUp()
            throw error
        }
        let tmux = try await startKiosk(
            "zone", daemon, kiosk: "lobby", arguments: ["--demo"], environment: ["TZ=America/New_York"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            let zone = try await daemon.redis.send(RedisCommand("HGET", "boxoffice:theatre", "time_zone"))
            #expect(zone.string == "Europe/Paris", "the load keeps the programme's zone")
            let paris = TimeZone(identifier: "Europe/Paris")!
            try await tmux.waitForWelcome()
            try tmux.press("2")
            try tmux.type("pia")
            try tmux.press("Enter")
            try tmux.type("password123")
            try tmux.press("Enter")
            // Nothing today: the list opens on tomorrow, the first day with a show, at its Paris time. The screen's
            // name comes with LAYOUT's answer, after the list is drawn.
            let tomorrow = try await tmux.waitUntil("tomorrow's shows with their screen's name") {
                $0.contains("Shows on Tomorrow, \(Self.day(1, in: paris).name)") && $0.contains("Grande Salle")
            }
            #expect(tomorrow.contains("[Tomorrow]") && tomorrow.contains(" Today "))
            #expect(tomorrow.contains("> 18:00  Screen 1 Grande Salle"), "18:00 in Paris, not 12:00 in New York")
            #expect(tomorrow.contains("32 seats left"))
            try tmux.press("Right")
            let far = try await tmux.waitFor("Shows on \(Self.day(4, in: paris).name)")
            #expect(far.contains("Distant Shores") && far.contains("> 20:30  Screen 1"))
            #expect(!far.contains("14:30"))
            try tmux.press("Enter")
            try await tmux.waitFor("Distant Shores, \(Self.day(4, in: paris).name), 20:30")
            try await tmux.waitFor("Seat ")
            try tmux.press("b", "Enter")
            try tmux.type("2")
            try tmux.press("Enter")
            try await tmux.waitFor("We held the best seats")
            try tmux.press("Enter")
            // The seat map's notice says "Total: 24.00 EUR" too: the list of test cards is the payment screen.
            let payment = try await tmux.waitFor("choose a test card")
            #expect(payment.contains("Total: 24.00 EUR"))
            try tmux.press("1", "Enter")
            let ticket = try await tmux.waitFor("Your booking is confirmed")
            let (name, date) = Self.day(4, in: paris)
            #expect(ticket.contains("Time:     \(name) \(date.prefix(4)), 20:30"))
        }
    }
}
