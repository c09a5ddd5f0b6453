import Foundation
import RedisClient
import Testing

/// The real kiosk binary in tmux against a real daemon: a customer's whole visit, keys in, screen out.
@Suite("boxoffice-kiosk in a terminal", .serialized, .timeLimit(.minutes(2)))
struct KioskTerminalTests {
    static let secret = "terminal-test-secret"

    /// Registers `name`, opens the first show and holds two adjacent seats with the keyboard; returns the
    /// seats line.
    func registerAndHold(_ tmux: TmuxKiosk, _ name: String) async throws {
        try await tmux.waitForWelcome()
        try tmux.press("2")
        try await tmux.waitFor("Name:")
        try tmux.type(name)
        try tmux.press("Enter")
        try await tmux.waitFor("Password:")
        try tmux.type("password123")
        try await tmux.waitFor("Password: ***********_")
        try tmux.press("Enter")
        try await tmux.waitFor("[Enter] pick seats")
        try tmux.press("Enter")
        try await tmux.waitFor("SCREEN")
        try await tmux.waitFor("Seat ")
        try tmux.press("Space", "Right", "Space")
        try await tmux.waitFor("Chosen: ")
        try tmux.press("Enter")
        try await tmux.waitFor("Held for you")
    }

    /// Registers `name`, holds two seats and pays with the demo's approved card; returns the ticket screen.
    func book(_ tmux: TmuxKiosk, _ name: String) async throws -> String {
        try await registerAndHold(tmux, name)
        try tmux.press("Enter")
        try await tmux.waitFor("Total: 24.00 EUR")
        try await tmux.waitFor("choose a test card")
        try tmux.press("1", "Enter")
        return try await tmux.waitFor("Your booking is confirmed")
    }

    /// Starts the kiosk in tmux against `daemons`, in that order; if it cannot start, stops the daemons before
    /// rethrowing.
    func startKiosk(
        _ name: String, _ daemons: DemoDaemon..., kiosk: String, arguments: [String], environment: [String] = []
    ) async throws -> TmuxKiosk {
        do {
            return try TmuxKiosk(
                name, daemons: daemons, kiosk: kiosk, secret: Self.secret, arguments: arguments,
                environment: environment)
        } catch {
            for daemon in daemons { await daemon.cleanUp() }
            throw error
        }
    }

    /// Runs a test's steps, then stops its daemons whatever happened. A screen that never came and a failed
    /// `#require` are recorded where they happen; any other error is recorded here.
    func steps(stoppingAfterwards daemons: DemoDaemon..., body: () async throws -> Void) async {
        do {
            try await body()
        } catch is ScreenTimeout {
        } catch is ExpectationFailedError {
        } catch {
            Issue.record(error)
        }
        for daemon in daemons { await daemon.cleanUp() }
    }

    /// The first two seats of the screen's `Yours: ` line.
    func heldSeats(_ screen: String) throws -> [String] {
        let line = try #require(screen.split(separator: "\n").first { $0.contains("Yours: ") })
        return line.components(separatedBy: "Yours: ")[1].split(separator: " ").prefix(2).map(String.init)
    }

    @Test("A whole purchase: register, pick a show, two adjacent seats, hold, pay tok_visa, the ticket")
    func purchase() async throws {
        let daemon = try await DemoDaemon(database: 11, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("buy", daemon, kiosk: "lobby", arguments: ["--demo"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await registerAndHold(tmux, "tina")
            let ids = try heldSeats(try await tmux.waitFor("Time left 4:"))
            #expect(ids.count == 2)
            #expect(ids.first?.prefix(1) == ids.last?.prefix(1), "two seats in one row: \(ids)")
            try tmux.press("Enter")
            // The seat map's notice says "Total: 24.00 EUR" too: the list of test cards is the payment screen.
            let payment = try await tmux.waitFor("choose a test card")
            #expect(payment.contains("Total: 24.00 EUR"))
            try tmux.press("1", "Enter")
            let ticket = try await tmux.waitFor("Your booking is confirmed")
            let bookingLine = try #require(ticket.split(separator: "\n").first { $0.contains("Booking:  BK") })
            let bookingID = try #require(bookingLine.split(separator: " ").first { $0.hasPrefix("BK") })
            #expect(ticket.contains("Seats:    \(ids.joined(separator: " "))"))

            let entries = try await daemon.redis.send(RedisCommand("ZRANGE", "boxoffice:user:tina:bookings", "0", "-1"))
            let entry = try #require(entries.array?.compactMap(\.string).first)
            #expect(entry.hasSuffix("/\(bookingID)"))
            let show = entry.split(separator: "/")[0]
            let exists = try await daemon.redis.send(
                RedisCommand("EXISTS", "boxoffice:{show:\(show)}:booking:\(bookingID)"))
            #expect(exists.integer == 1, "the booking is in Redis")
        }
    }

    @Test(
        "Two daemons on one Redis: the first killed with SIGKILL, the kiosk goes on on the second with the same held seats, and pays"
    )
    func failover() async throws {
        let first = try await DemoDaemon(database: 12, kiosk: "lobby", secret: Self.secret)
        let second: DemoDaemon
        do {
            second = try await DemoDaemon(beside: first)
        } catch {
            await first.cleanUp()
            throw error
        }
        let tmux = try await startKiosk("failover", first, second, kiosk: "lobby", arguments: ["--demo"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: first, second) {
            try await registerAndHold(tmux, "fred")
            let ids = try heldSeats(try await tmux.waitFor("Time left 4:"))
            #expect(ids.count == 2)
            #expect(try await second.figure("sessions_open") == 0, "the kiosk starts on the first daemon")

            first.crash()
            let killed = ContinuousClock.now
            // The kiosk moves on to the second daemon at once, logs the customer in again and resumes the session.
            while try await second.figure("sessions_open") != 1 {
                try #require(ContinuousClock.now - killed < .seconds(10), "no session resumed on the second daemon")
                try await Task.sleep(for: .milliseconds(100))
            }
            let screen = try await tmux.waitUntil("the same seats held, connected", timeout: .seconds(5)) {
                !$0.contains("Reconnecting...") && $0.contains("Yours: \(ids.joined(separator: " "))")
            }
            #expect(!screen.contains("released"), "no seat was let go")

            try tmux.press("Enter")
            // The seat map's notice says "Total: 24.00 EUR" too: the list of test cards is the payment screen.
            let payment = try await tmux.waitFor("choose a test card")
            #expect(payment.contains("Total: 24.00 EUR"))
            try tmux.press("1", "Enter")
            let ticket = try await tmux.waitFor("Your booking is confirmed")
            #expect(ticket.contains("Seats:    \(ids.joined(separator: " "))"))
            #expect(try await second.figure("bookings") == 1, "the second daemon sold the seats")
            #expect(ContinuousClock.now - killed < .seconds(30))
        }
    }

    @Test("A declined card: the reason in words and the attempts left")
    func declined() async throws {
        let daemon = try await DemoDaemon(database: 12, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("decline", daemon, kiosk: "lobby", arguments: ["--demo"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await registerAndHold(tmux, "dora")
            try tmux.press("Enter")
            try await tmux.waitFor("tok_chargeDeclined")
            try tmux.press("3", "Enter")
            let screen = try await tmux.waitFor("Your card was declined.")
            #expect(screen.contains("2 attempts left"))
        }
    }

    @Test("Time runs out: said in plain words, back to the seat map with a new session")
    func expiry() async throws {
        let daemon = try await DemoDaemon(
            database: 13, kiosk: "quick", secret: Self.secret, extraProfile: "session_timeout_seconds = 3")
        let tmux = try await startKiosk("expire", daemon, kiosk: "quick", arguments: ["--demo"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await registerAndHold(tmux, "eric")
            let screen = try await tmux.waitFor("Your seats were released because time ran out", timeout: .seconds(10))
            #expect(screen.contains("Choose your seats"))
            try await tmux.waitUntil("the map without held seats") { !$0.contains("Yours: ") && $0.contains("SCREEN") }
        }
    }

    @Test("Idle reset: after --idle-reset seconds without a key, back to an empty welcome screen")
    func idleReset() async throws {
        let daemon = try await DemoDaemon(database: 14, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("idle", daemon, kiosk: "lobby", arguments: ["--idle-reset", "2"])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await tmux.waitForWelcome()
            try tmux.press("2")
            try tmux.type("ivan")
            try tmux.press("Enter")
            try tmux.type("password123")
            try tmux.press("Enter")
            try await tmux.waitFor("[Enter] pick seats")
            let screen = try await tmux.waitFor("New customer", timeout: .seconds(10))
            #expect(!screen.contains("ivan"))
            #expect(!screen.contains("Today's shows"))
        }
    }

    @Test("A wrong secret: the kiosk says to call staff, and keys do not clear it")
    func wrongSecret() async throws {
        let daemon = try await DemoDaemon(database: 10, kiosk: "lobby", secret: Self.secret)
        let tmux: TmuxKiosk
        do {
            tmux = try TmuxKiosk("refused", daemons: [daemon], kiosk: "lobby", secret: "not-the-secret")
        } catch {
            await daemon.cleanUp()
            throw error
        }
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try await tmux.waitFor("Please call staff")
            try tmux.press("Enter")
            try tmux.type("x")
            try await Task.sleep(for: .milliseconds(500))
            let screen = try tmux.screen()
            #expect(screen.contains("Please call staff") && screen.contains("Out of order"))
        }
    }

    @Test("A crash gives the terminal back: the kiosk leaves the alternate screen before it dies")
    func crashRestoresTerminal() async throws {
        let daemon = try await DemoDaemon(database: 15, kiosk: "lobby", secret: Self.secret)
        let tmux = try await startKiosk("crash", daemon, kiosk: "lobby", arguments: [])
        defer { tmux.kill() }
        await steps(stoppingAfterwards: daemon) {
            try tmux.tmux("set-option", "-g", "remain-on-exit", "on")
            try await tmux.waitFor("New customer")
            #expect(try tmux.pane("#{alternate_on}") == "1")
            let pid = try #require(pid_t(try tmux.pane("#{pane_pid}")))
            #expect(kill(pid, SIGSEGV) == 0)
            let deadline = ContinuousClock.now + .seconds(30)
            while try tmux.pane("#{pane_dead}") != "1", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try tmux.pane("#{pane_dead}") == "1", "the kiosk died of its SIGSEGV")
            #expect(try tmux.pane("#{alternate_on}") == "0", "the alternate screen was left")
        }
    }
}
