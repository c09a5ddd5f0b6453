import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import BoxOfficeTesting
import Logging
import Payments
import Testing

@Suite(
    "Reconciliation: a daemon that died during PAY never leaves a charge without a booking",
    .timeLimit(.minutes(2)))
struct ReconcilerTests {
    /// Holds `seats` for a new customer through the protocol and returns the session, as a kiosk would leave it.
    private func heldSession(_ harness: Harness, user: String, seats: String) async throws -> SessionRef {
        let client = try await harness.customer(user)
        let id = try await harness.session(client)
        try await harness.expectOK(client, "HOLD \(seats)")
        return SessionRef(show: ShowID("1")!, id: try #require(SessionID(id)))
    }

    /// How many sessions the harness's daemon saw left open by a connection that went away.
    static func abandoned(_ harness: Harness) -> Int {
        harness.services.statistics.figures().first { $0.name == "sessions_abandoned" }?.value ?? 0
    }

    private var quietLogger: Logger {
        var logger = Logger(label: "test.reconciler")
        logger.logLevel = .critical
        return logger
    }

    @Test("Died after authorizing, before confirming: the seats come free and the authorization is voided")
    func diedBeforeConfirming() async throws {
        try await Harness.run("recon-void") { harness in
            let session = try await heldSession(harness, user: "pia", seats: "A1 A2")
            var policy = harness.policy
            policy.paymentGraceMilliseconds = 3000  // long enough that a loaded machine sweeps within it
            let payment = try await harness.services.bookings.beginPayment(
                session, believedHeld: [], shown: nil, policy: policy)
            let key = "\(session.id)-\(payment.attempt)"
            let record = try await harness.services.gateway.authorize(
                idempotencyKey: key, token: PaymentToken("tok_visa")!, amount: Money(minorUnits: 2400, currency: "EUR"))
            #expect(record.state == .authorized)
            let ttl = try await harness.redisCommand("PTTL", harness.keys.session(session.show, session.id))
            #expect(ttl == .integer(-1), "a session in payment never expires before it is settled")

            let reconciler = Reconciler(services: harness.services, logger: quietLogger)
            #expect(
                try await reconciler.sweep() == Reconciler.Report(captured: 0, voided: 0, pending: 1),
                "a payment within its grace period is left to its daemon")
            let payUntil =
                try await harness.redisCommand(
                    "HGET", harness.keys.session(session.show, session.id), "pay_until"
                ).integer ?? 0
            let time = try await harness.redisCommand("TIME").array?.compactMap(\.integer) ?? [0, 0]
            try await Task.sleep(for: .milliseconds(max(payUntil - (time[0] * 1000 + time[1] / 1000), 0) + 100))
            #expect(try await reconciler.sweep() == Reconciler.Report(captured: 0, voided: 1, pending: 0))
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .voided)
            let watcher = try await harness.kiosk()
            let seats = try await harness.seatStates(watcher, show: "1")
            #expect(seats["A1"] == "AVAILABLE" && seats["A2"] == "AVAILABLE")

            // A confirmation arriving late, from a daemon that was only slow, must now fail.
            let late = try await harness.services.bookings.confirm(
                session, payment: payment, booking: BookingID("BK0000000001")!,
                ticket: TicketCode(show: session.show, randomHex: String(repeating: "d", count: 32))!,
                showStart: Timestamp(secondsSinceEpoch: 0),
                amount: 2400, currency: "EUR", paymentKey: key)
            #expect(late == .holdLost)
            #expect(try await reconciler.sweep() == Reconciler.Report(), "nothing is left to settle")
        }
    }

    @Test("Died after confirming, before capturing: the payment is captured and the booking listed")
    func diedBeforeCapturing() async throws {
        try await Harness.run("recon-capture") { harness in
            let session = try await heldSession(harness, user: "quentin", seats: "B3")
            let payment = try await harness.services.bookings.beginPayment(
                session, believedHeld: [], shown: nil, policy: harness.policy)
            let key = "\(session.id)-\(payment.attempt)"
            _ = try await harness.services.gateway.authorize(
                idempotencyKey: key, token: PaymentToken("tok_visa")!, amount: Money(minorUnits: 1200, currency: "EUR"))
            let booking = BookingID("BK00000000QQ")!
            let ticket = TicketCode(show: session.show, randomHex: String(repeating: "ab", count: 16))!
            #expect(
                try await harness.services.bookings.confirm(
                    session, payment: payment, booking: booking, ticket: ticket,
                    showStart: Timestamp(secondsSinceEpoch: 1_900_000_000), amount: 1200, currency: "EUR",
                    paymentKey: key) == .confirmed(booking, ticket: ticket))

            let reconciler = Reconciler(services: harness.services, logger: quietLogger)
            #expect(try await reconciler.sweep() == Reconciler.Report(captured: 1, voided: 0, pending: 0))
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .captured)
            let state = try await harness.redisCommand(
                "HGET", harness.keys.booking(session.show, booking), "payment_state")
            #expect(state.string == "CAPTURED")
            let client = try await harness.kiosk()
            try await harness.expectOK(client, "LOGIN quentin \(Harness.password)")
            let bookings = try await client.send("BOOKINGS").bookingLines
            let start = try #require(try await harness.showStart("1"))
            #expect(
                bookings.data.filter { $0.hasPrefix("BOOKING ") } == ["BOOKING BK00000000QQ 1 \(start) 1200 EUR B3"])
            #expect(try await reconciler.sweep() == Reconciler.Report())
        }
    }

    @Test("A session whose kiosk vanished is ended after its deadline: audited as expire, its index entries gone")
    func abandonedSessionExpires() async throws {
        let policy = SessionPolicy(
            timeoutMilliseconds: 4000, maxSeats: 4, paymentAttempts: 3, paymentGraceMilliseconds: 60_000)
        try await Harness.run("abandoned", policy: policy) { harness in
            let client = try await harness.customer("vera")
            let session = try await harness.session(client)
            try await harness.expectOK(client, "HOLD C2 C3")
            await client.close()  // the kiosk vanishes: nobody ends the session
            // Wait until the daemon has seen the connection go (else its own timer would end the session).
            for _ in 0..<100 where Self.abandoned(harness) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            try #require(Self.abandoned(harness) == 1, "the daemon noticed the kiosk leave before the deadline")
            let show = ShowID("1")!
            let open = try await harness.redisCommand("ZRANGE", harness.keys.openSessions(show), "0", "-1")
            #expect(open.array?.compactMap(\.string) == [session])

            let reconciler = Reconciler(services: harness.services, logger: quietLogger, expiryGrace: .zero)
            var expired = 0
            for _ in 0..<100 where expired == 0 {  // sweep until the deadline has passed, as the daemon does
                expired = try await reconciler.sweep().expired
                if expired == 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(expired == 1)
            #expect(try await reconciler.sweep() == Reconciler.Report(), "once")

            let ending = try await harness.redisCommand(
                "HMGET", harness.keys.session(show, SessionID(session)!), "state", "deadline", "ended")
            let values = ending.array?.map(\.string) ?? []
            #expect(values.first == "EXPIRED")
            let deadline = try #require(values.count == 3 ? values[1].flatMap { Int($0) } : nil)
            let ended = try #require(values.count == 3 ? values[2].flatMap { Int($0) } : nil)
            #expect(ended >= deadline, "never ended before its deadline")
            #expect(try await harness.redisCommand("ZCARD", harness.keys.openSessions(show)).integer == 0)
            #expect(try await BestReplaceTests.holdIndex(harness, show: show.rawValue).isEmpty)
            let last = try await harness.redisCommand("XREVRANGE", harness.keys.audit(show), "+", "-", "COUNT", "1")
            let fields = (last.array?.first?.array?.last?.array ?? []).compactMap(\.string)
            #expect(Array(fields.prefix(2)) == ["event", "expire"] && fields.contains("C2 C3"))
        }
    }

    @Test("A show that dropped out of the index of shows: a reload lists it again, though nothing else changed")
    func reloadRepairsIndex() async throws {
        try await Harness.run("reindex") { harness in
            _ = try await harness.redisCommand("ZREM", harness.keys.shows, "1")
            let report = try await harness.services.theatre.load(harness.theatre)
            #expect(report.shows.allSatisfy { $0.change == .unchanged })
            #expect(try await harness.redisCommand("ZSCORE", harness.keys.shows, "1").string != nil)
        }
    }

    @Test("A payment left on a show missing from the index: the repair lists the show, the sweep voids it")
    func paymentOnUnindexedShow() async throws {
        try await Harness.run("recon-index") { harness in
            let session = try await heldSession(harness, user: "orphan", seats: "C3")
            var policy = harness.policy
            policy.paymentGraceMilliseconds = 200
            let payment = try await harness.services.bookings.beginPayment(
                session, believedHeld: [], shown: nil, policy: policy)
            let key = "\(session.id)-\(payment.attempt)"
            _ = try await harness.services.gateway.authorize(
                idempotencyKey: key, token: PaymentToken("tok_visa")!, amount: Money(minorUnits: 1000, currency: "EUR"))
            _ = try await harness.redisCommand("ZREM", harness.keys.shows, "1")
            try await Task.sleep(for: .milliseconds(300))

            let reconciler = Reconciler(services: harness.services, logger: quietLogger)
            #expect(try await reconciler.sweep() == Reconciler.Report(), "the sweep follows the index: it misses it")
            #expect(try await reconciler.repairIndex() == [ShowID("1")!])
            #expect(try await reconciler.repairIndex() == [], "listed once")
            #expect(try await reconciler.sweep() == Reconciler.Report(captured: 0, voided: 1, pending: 0))
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .voided)
        }
    }
}

extension Harness {
    /// The start of a test show, as SHOWS prints it.
    func showStart(_ show: String) async throws -> String? {
        try await services.theatre.shows([ShowID(show)!]).first?.start.description
    }
}
