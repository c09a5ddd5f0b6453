import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import Testing

@Suite("Live figures: STATS", .timeLimit(.minutes(2)))
struct StatisticsTests {
    @Test("STATS needs an identified kiosk and takes no arguments")
    func statsNeedsKiosk() async throws {
        try await Harness.run("stats-order") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            #expect(try await client.send("STATS").final == "ERR KIOSK_REQUIRED")
            try await harness.expectOK(client, "KIOSK \(Harness.kioskID) \(Harness.kioskSecret)")
            #expect(try await client.send("STATS now").final == "ERR BAD_REQUEST usage: STATS")
            let reply = try await harness.expectOK(client, "stats")
            #expect(reply.final == "OK \(reply.data.count)")
        }
    }

    @Test("STATS counts connections, sessions, holds, payments and bookings after a known sequence")
    func statsAfterABooking() async throws {
        try await Harness.run("stats-booking") { harness in
            let observer = try await harness.kiosk()
            let before = try await Self.stats(observer)
            #expect(before["connections"] == 1 && before["connections_total"] == 1)
            #expect(before["holds"] == 0 && before["bookings"] == 0 && before["sessions_open"] == 0)
            #expect(before["latency_all_count"] == 1, "only the observer's KIOSK was answered")

            let alice = try await harness.customer("alice")
            _ = try await harness.session(alice)
            try await harness.expectOK(alice, "HOLD A1 A2")
            let during = try await Self.stats(observer)
            #expect(during["connections"] == 2 && during["sessions_open"] == 1 && during["sessions_started"] == 1)
            #expect(during["holds"] == 1 && during["seats_held"] == 2)

            #expect(try await alice.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 2")
            #expect(try await alice.send("PAY tok_visa").final.hasPrefix("OK BOOKED BK"))
            let after = try await Self.stats(observer)
            let expected: [String: Int] = [
                "connections": 2, "connections_total": 2, "connections_refused": 0,
                "sessions_started": 1, "sessions_open": 0, "sessions_expired": 0, "sessions_abandoned": 0,
                "holds": 1, "seats_held": 2, "seats_released": 0, "bookings": 1, "seats_booked": 2,
                "payments_approved": 1, "payments_declined_declined": 1, "payments_declined_insufficient_funds": 0,
                "payments_declined_invalid_token": 0, "payments_failed": 0, "hold_lost": 0,
                // observer: KIOSK, STATS, STATS; alice: KIOSK REGISTER LOGIN START HOLD PAY PAY
                "latency_all_count": 10, "latency_hold_count": 1, "latency_pay_count": 2, "latency_seats_count": 0,
            ]
            for (name, value) in expected {
                #expect(after[name] == value, "\(name)")
            }
            #expect(after["uptime_seconds"].map { $0 >= 0 } == true)
            for timing in ["all", "hold", "pay"] {
                let p50 = try #require(after["latency_\(timing)_p50_us"])
                let p90 = try #require(after["latency_\(timing)_p90_us"])
                let p99 = try #require(after["latency_\(timing)_p99_us"])
                let max = try #require(after["latency_\(timing)_max_us"])
                #expect(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, "\(timing): \(p50) \(p90) \(p99) \(max)")
            }
            #expect(after["latency_seats_p50_us"] == 0 && after["latency_seats_max_us"] == 0, "no SEATS yet")
        }
    }

    @Test("Seats released by RELEASE, CLOSE and QUIT; a dropped connection's session counts as abandoned")
    func releasesAndAbandonedSessions() async throws {
        try await Harness.run("stats-release") { harness in
            let observer = try await harness.kiosk()
            let bob = try await harness.customer("bob")
            _ = try await harness.session(bob)
            try await harness.expectOK(bob, "HOLD A1 A2 A3")
            try await harness.expectOK(bob, "HOLD A3 A4")  // A3 again: one new seat
            try await harness.expectOK(bob, "RELEASE A4")
            try await harness.expectOK(bob, "CLOSE")
            _ = try await harness.session(bob)
            try await harness.expectOK(bob, "HOLD B1")
            try await harness.expectOK(bob, "QUIT")

            let carol = try await harness.customer("carol")
            _ = try await harness.session(carol)
            try await harness.expectOK(carol, "HOLD C1")
            await carol.close()

            let figures = try await Self.stats(observer, once: { $0["connections"] == 1 })
            #expect(figures["holds"] == 4 && figures["seats_held"] == 6)
            #expect(figures["seats_released"] == 5, "A4, then A1 A2 A3 on CLOSE, then B1 on QUIT")
            #expect(figures["sessions_started"] == 3 && figures["sessions_open"] == 0)
            #expect(figures["sessions_abandoned"] == 1 && figures["sessions_expired"] == 0)
            #expect(figures["connections_total"] == 3)
        }
    }

    @Test("A connection over the limit counts as refused, not as served")
    func refusedConnection() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 1)
        try await Harness.run("stats-refused", limits: limits) { harness in
            let kiosk = try await harness.kiosk()
            let surplus = try await KioskClient.connect(port: harness.port)
            #expect(surplus.greeting == "ERR UNAVAILABLE too many connections")
            let figures = try await Self.stats(kiosk)
            #expect(figures["connections_refused"] == 1)
            #expect(figures["connections"] == 1 && figures["connections_total"] == 1)
        }
    }

    @Test("A session that times out counts as expired")
    func expiredSession() async throws {
        let policy = SessionPolicy(
            timeoutMilliseconds: 3000, maxSeats: 4, paymentAttempts: 3, paymentGraceMilliseconds: 60_000)
        try await Harness.run("stats-expiry", policy: policy) { harness in
            let dora = try await harness.customer("dora")
            let session = try await harness.session(dora)
            try await harness.expectOK(dora, "HOLD A1")
            #expect(try await dora.nextEvent(within: .seconds(8)) == "EVENT EXPIRED \(session)")
            let figures = try await Self.stats(dora)
            #expect(figures["sessions_expired"] == 1 && figures["sessions_open"] == 0)
        }
    }

    // MARK: Helpers

    /// Sends STATS and checks its form: `STAT <name> <integer>` lines, then `OK <count>`. With `once`, asks again
    /// (up to 5 s) until the figures satisfy it, for figures that settle after a connection closes.
    static func stats(
        _ client: KioskClient, once settled: ([String: Int]) -> Bool = { _ in true },
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Int] {
        for _ in 0..<250 {
            let reply = try await client.send("STATS")
            #expect(reply.final == "OK \(reply.data.count)", sourceLocation: sourceLocation)
            var figures: [String: Int] = [:]
            for line in reply.data {
                let fields = line.split(separator: " ", omittingEmptySubsequences: false)
                try #require(fields.count == 3 && fields[0] == "STAT", "\(line)", sourceLocation: sourceLocation)
                let value = try #require(Int(fields[2]), "\(line)", sourceLocation: sourceLocation)
                #expect(figures.updateValue(value, forKey: String(fields[1])) == nil, "\(line) twice")
            }
            if settled(figures) { return figures }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("STATS never settled", sourceLocation: sourceLocation)
        return [:]
    }
}
