import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// A kiosk given several daemons: when the one in use goes away it moves on to the next, and there does what it
/// does after any reconnection (KIOSK, LOGIN, RESUME, the wait for a payment in doubt).
@Suite("Kiosk failover between daemons")
struct KioskFailoverTests {
    static let a = DaemonAddress(host: "10.0.0.5", port: 7420)
    static let b = DaemonAddress(host: "10.0.0.6", port: 7420)

    /// A kiosk given daemons `a` and `b`, logged in on `a` with C4 held on show 7.
    private func holding() throws -> KioskDriver {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        #expect(driver.kiosk.daemons.current == Self.a)
        try driver.openSeatMap()
        driver.goTo("C4")
        driver.press(.character(" "), .enter)
        try driver.answer("HOLD C4", "OK HELD C4 EXPIRES 300")
        return driver
    }

    @Test("A lost daemon: the next one at once, then KIOSK, LOGIN and RESUME there; the customer sees the same seats")
    func movesOn() throws {
        var driver = try holding()
        let before = driver.frameText
        #expect(driver.feed(.disconnected) == [.reconnect(to: Self.b, after: 0)])
        #expect(driver.frameText.contains("Reconnecting..."))
        try driver.reconnect()
        try driver.answer("RESUME 0123456789abcdef0123", "OK RESUMED 0123456789abcdef0123 7 HELD C4 EXPIRES 300")
        _ = try driver.take("WATCH 7")
        // Another daemon, the same Redis: the seat held is held there too.
        let seats = KioskDriver.seats.map { $0 == "SEAT C4 AVAILABLE premium" ? "SEAT C4 SELECTED premium" : $0 }
        try driver.answer("SEATS", seats, "OK 18 AVAILABLE")
        #expect(driver.seatScreen?.map.mine == [SeatID("C4")!])
        #expect(driver.frameText == before, "which daemon serves is not shown")
        // Lost again: back to the first, at once, for b accepted the kiosk.
        #expect(driver.feed(.disconnected) == [.reconnect(to: Self.a, after: 0)])
    }

    @Test("Every daemon failed in a row: the backoff between rounds, 0.5 s doubling; an accepted KIOSK resets it")
    func backoffAfterEveryDaemon() throws {
        var driver = try holding()
        var tries: [KioskAction] = []
        for _ in 0..<8 { tries += driver.feed(.disconnected) }
        #expect(
            tries == [
                .reconnect(to: Self.b, after: 0), .reconnect(to: Self.a, after: 0.5),
                .reconnect(to: Self.b, after: 0), .reconnect(to: Self.a, after: 1),
                .reconnect(to: Self.b, after: 0), .reconnect(to: Self.a, after: 2),
                .reconnect(to: Self.b, after: 0), .reconnect(to: Self.a, after: 4),
            ])
        // a accepts; the next loss moves on at once, and a round of failures waits 0.5 s again.
        try driver.reconnect()
        try driver.answer("RESUME", "OK RESUMED 0123456789abcdef0123 7 HELD C4 EXPIRES 250")
        #expect(driver.feed(.disconnected) == [.reconnect(to: Self.b, after: 0)])
        #expect(driver.feed(.disconnected) == [.reconnect(to: Self.a, after: 0.5)])
    }

    @Test("KIOSK answered UNAVAILABLE counts as that daemon failing: the next one at once")
    func kioskUnavailable() throws {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        driver.feed(.connected)
        #expect(try driver.answer("KIOSK", "ERR UNAVAILABLE") == [.reconnect(to: Self.b, after: 0)])
        driver.feed(.connected)
        #expect(try driver.answer("KIOSK", "ERR UNAVAILABLE") == [.reconnect(to: Self.a, after: 0.5)])
    }

    @Test("An unanswered PING and EVENT SHUTDOWN each move the kiosk on to the next daemon")
    func silentOrShuttingDown() throws {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        try driver.logIn()
        driver.advance(60)
        #expect(driver.waiting("PING"))
        driver.advance(10)
        #expect(driver.lastActions == [.reconnect(to: Self.b, after: 0)])
        try driver.reconnect()
        try driver.answer("SHOWS", driver.showLines, "OK 3")
        #expect(driver.feed(.event("EVENT SHUTDOWN")) == [.reconnect(to: Self.a, after: 0)])
    }

    @Test("A refused kiosk tries the next daemon, slowly")
    func refused() throws {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        driver.feed(.connected)
        #expect(
            try driver.answer("KIOSK", "ERR AUTH_FAILED") == [.reconnect(to: Self.b, after: Kiosk.refusedRetryDelay)])
        driver.feed(.connected)
        try driver.answer("KIOSK", "OK KIOSK demo")
        #expect(!driver.kiosk.refused)
    }

    @Test("A PAY cut off by a lost daemon is looked up on the next one: BOOKINGS there shows the ticket")
    func paymentInDoubtOnNextDaemon() throws {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        #expect(driver.waiting("PAY tok_visa 3200 EUR"))
        #expect(driver.feed(.disconnected) == [.reconnect(to: Self.b, after: 0)])
        #expect(driver.paymentInDoubt?.stage == .checking)
        try driver.reconnect()
        #expect(driver.sent.map(\.command.line) == ["BOOKINGS"])
        try driver.answer("BOOKINGS", ["BOOKING BKZD146JA5Q8 7 2026-11-17T20:00:00Z 3200 EUR C4 C5"], "OK 1")
        guard case .ticket(let booking) = driver.kiosk.screen else {
            Issue.record("no ticket: \(driver.kiosk.screen)")
            return
        }
        #expect(booking.id == "BKZD146JA5Q8")
    }

    @Test("A LOGIN refused while a payment is in doubt: the next daemon, but not at once (no loop between daemons)")
    func loginFailsInDoubt() throws {
        var driver = KioskDriver(daemons: [Self.a, Self.b])
        try driver.openPayment()
        driver.press(.character("1"), .enter)
        driver.feed(.disconnected)
        for (daemon, next) in [(Self.b, Self.a), (Self.a, Self.b)] {
            #expect(driver.kiosk.daemons.current == daemon)
            driver.feed(.connected)
            try driver.answer("KIOSK", "OK KIOSK demo")
            let actions = try driver.answer("LOGIN alice password123", "ERR RATE_LIMITED 5")
            #expect(actions == [.reconnect(to: next, after: DaemonRotation.firstBackoff)])
            #expect(driver.paymentInDoubt?.stage == .checking)
        }
    }
}
