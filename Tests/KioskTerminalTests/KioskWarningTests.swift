import BoxOfficeStore
import Foundation
import Programme
import RedisClient
import Testing

/// What the real kiosk says when it would forget the customer, and when the show goes away under a hold.
extension KioskTerminalTests {
    @Test("Still there? before the idle reset: a key keeps the customer and does nothing else; silence resets")
    func stillThere() async throws {
        let daemon = try await DemoDaemon(database: 8, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("still", daemon, kiosk: "lobby", arguments: ["--idle-reset", "8"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await tmux.waitForWelcome()
            try tmux.press("2")
            try tmux.type("sam")
            try tmux.press("Enter")
            try tmux.type("password123")
            try tmux.press("Enter")
            try await tmux.waitFor("[Enter] pick seats")
            // The countdown's own second may have passed on a loaded machine: any "In N s" will do.
            let warning = try await tmux.waitFor("Still there? Press any key to carry on. In ", timeout: .seconds(10))
            #expect(warning.range(of: #"In [1-4] s"#, options: .regularExpression) != nil, "\(warning)")
            try tmux.press("m")
            let kept = try await tmux.waitUntil("the warning gone") { !$0.contains("Still there?") }
            #expect(kept.contains("Shows by day") && !kept.contains("My bookings"), "the key did nothing else")
            try await tmux.waitFor("Still there?", timeout: .seconds(10))
            let reset = try await tmux.waitFor("New customer", timeout: .seconds(10))
            #expect(!reset.contains("sam"))
        }
    }

    @Test("A show withdrawn under the customer's hold: said in words, back to the list of shows")
    func withdrawnUnderHold() async throws {
        let daemon = try await DemoDaemon(database: 7, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("withdrawn", daemon, kiosk: "lobby", arguments: ["--demo"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await registerAndHold(tmux, "wanda")
            // The theatre loads its own programme: the demo's shows give way, withdrawn, their holds freed.
            let programme = try Programme(parsing: Self.parisProgramme(), file: "paris.toml")
            _ = try await TheatreStore(redis: daemon.redis, keys: StoreKeys()!).load(programme.theatre)
            let screen = try await tmux.waitFor("Sorry, this show was withdrawn from sale")
            #expect(screen.contains("Shows by day"))
            #expect(!screen.contains("Press Enter to pay"))
            // The theatre's own programme is on sale: Paper Moons, tomorrow, along the strip of days.
            try tmux.press("r")
            try await tmux.waitUntil("the list read again") { !$0.contains("withdrawn") && $0.contains("Shows on") }
            for _ in 0..<4 where !(try tmux.screen()).contains("Paper Moons") {
                try tmux.press("Right")
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(try tmux.screen().contains("Paper Moons"))
        }
    }
}

extension KioskTerminalTests {
    @Test("--plain: no Reconnecting... on the first connection, the welcome menu and the list of shows said once")
    func plainSaysEachScreenOnce() async throws {
        let daemon = try await DemoDaemon(database: 6, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("plain", daemon, kiosk: "lobby", arguments: ["--plain"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await tmux.waitFor("Answer 1 or 2:")
            try tmux.type("2")
            try tmux.press("Enter")
            try await tmux.waitFor("Type your name:")
            try tmux.type("paul")
            try tmux.press("Enter")
            try await tmux.waitFor("Type your password:")
            try tmux.type("password123")
            try tmux.press("Enter")
            try await tmux.waitFor("Answer a show's number")
            // Every reply has come: prices and screens of the shows listed.
            try await Task.sleep(for: .seconds(1))
            let transcript = try tmux.tmux("capture-pane", "-p", "-S", "-")
            func count(_ text: String) -> Int { transcript.components(separatedBy: text).count - 1 }
            #expect(count("Reconnecting") == 0)
            #expect(count("Welcome to the cinema.") == 1)
            #expect(count("Answer a show's number") == 1)
            #expect(count("Shows on Today") <= 1)
        }
    }
}
