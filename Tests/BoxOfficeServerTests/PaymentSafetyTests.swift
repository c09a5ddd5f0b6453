import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import Dispatch
import Logging
import Payments
import Testing

/// The payment path's promises under retries, late answers and changed prices: no charge without a booking, no
/// booking undone by a retry, and no price the customer was not shown.
@Suite("Payment safety: time limits, idempotent steps, the price shown", .timeLimit(.minutes(2)))
struct PaymentSafetyTests {
    /// Holds `seats` for a new customer through the protocol, then starts paying in the store, as PAY's first step
    /// does; returns the session and its payment.
    private func payingSession(_ harness: Harness, user: String, seats: String) async throws
        -> (SessionRef, PaymentStart)
    {
        let client = try await harness.customer(user)
        let id = try await harness.session(client)
        try await harness.expectOK(client, "HOLD \(seats)")
        let session = SessionRef(show: ShowID("1")!, id: try #require(SessionID(id)))
        let payment = try await harness.services.bookings.beginPayment(
            session, believedHeld: [], shown: nil, policy: harness.policy)
        return (session, payment)
    }

    /// The show's audit events of `kind`.
    private func auditEvents(_ harness: Harness, _ kind: String) async throws -> Int {
        let entries = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID("1")!), "-", "+")
        return (entries.array ?? []).filter { entry in
            let fields = entry.array?.last?.array?.compactMap(\.string) ?? []
            return fields.count >= 2 && fields[0] == "event" && fields[1] == kind
        }.count
    }

    @Test("Confirm twice for one attempt: the same booking, nothing written again; void after it changes nothing")
    func confirmIsIdempotent() async throws {
        try await Harness.run("confirm2") { harness in
            let (session, payment) = try await payingSession(harness, user: "twice", seats: "A1 A2")
            let first = BookingID("BK000000000A")!
            func confirm(_ booking: BookingID, _ digit: String) async throws -> ConfirmOutcome {
                try await harness.services.bookings.confirm(
                    session, payment: payment, booking: booking,
                    ticket: TicketCode(show: session.show, randomHex: String(repeating: digit, count: 32))!,
                    showStart: Timestamp(secondsSinceEpoch: 0), amount: 2000, currency: "EUR",
                    paymentKey: "\(session.id)-\(payment.attempt)")
            }
            let ticket = TicketCode(show: session.show, randomHex: String(repeating: "a", count: 32))!
            #expect(try await confirm(first, "a") == .confirmed(first, ticket: ticket))
            #expect(
                try await confirm(BookingID("BK000000000B")!, "b") == .confirmed(first, ticket: ticket),
                "the booking and ticket code made the first time")
            let show = ShowID("1")!
            #expect(
                try await harness.redisCommand("EXISTS", harness.keys.booking(show, BookingID("BK000000000B")!))
                    .integer == 0)
            #expect(try await harness.redisCommand("HGET", harness.keys.sold(show), "A1").string == "BK000000000A")
            #expect(try await auditEvents(harness, "confirm") == 1)

            // A void recorded for a booked session (a confused retry) must not undo the booking.
            #expect(try await harness.services.bookings.settleVoided(session) == false)
            let state = try await harness.redisCommand("HGET", harness.keys.session(show, session.id), "state")
            #expect(state.string == "BOOKED")

            // Recording the capture twice: captured once, audited once, out of the paying set.
            try await harness.services.bookings.settleCaptured(session, booking: first)
            try await harness.services.bookings.settleCaptured(session, booking: first)
            #expect(try await auditEvents(harness, "capture") == 1)
            #expect(try await harness.redisCommand("SCARD", harness.keys.paying(show)).integer == 0)
            let paymentState = try await harness.redisCommand(
                "HGET", harness.keys.booking(show, first), "payment_state")
            #expect(paymentState.string == "CAPTURED")
        }
    }

    @Test("A refused confirmation twice, a void recorded twice: VOID then CLOSED once; the seats stay free")
    func refusedConfirmAndVoidAreIdempotent() async throws {
        try await Harness.run("void2") { harness in
            let (session, payment) = try await payingSession(harness, user: "lost", seats: "B1")
            _ = try await harness.redisCommand("DEL", harness.keys.hold(ShowID("1")!, SeatID("B1")!))
            for booking in ["BK00000000C1", "BK00000000C2"] {
                let outcome = try await harness.services.bookings.confirm(
                    session, payment: payment, booking: BookingID(booking)!,
                    ticket: TicketCode(show: session.show, randomHex: String(repeating: "c", count: 32))!,
                    showStart: Timestamp(secondsSinceEpoch: 0), amount: 1000, currency: "EUR",
                    paymentKey: "\(session.id)-\(payment.attempt)")
                #expect(outcome == .holdLost)
            }
            #expect(try await auditEvents(harness, "hold_lost") == 1)
            #expect(try await harness.services.bookings.settleVoided(session))
            #expect(try await harness.services.bookings.settleVoided(session))
            #expect(try await auditEvents(harness, "void") == 1)
            let show = ShowID("1")!
            #expect(
                try await harness.redisCommand("HGET", harness.keys.session(show, session.id), "state").string
                    == "CLOSED")
            #expect(try await harness.redisCommand("HLEN", harness.keys.sold(show)).integer == 0)
        }
    }

    @Test("The reconciler's takeover: a stale seat list still frees every seat; a VOID session is left alone")
    func abandonChecksItsSeats() async throws {
        var policy = Harness.standardPolicy
        policy.paymentGraceMilliseconds = 200
        try await Harness.run("abandon2", policy: policy) { harness in
            let (session, _) = try await payingSession(harness, user: "stale", seats: "C1 C2")
            try await Task.sleep(for: .milliseconds(300))
            let attempt = try await harness.services.bookings.abandonPayment(session, held: [SeatID("C1")!])
            #expect(attempt == 1)
            let show = ShowID("1")!
            for seat in ["C1", "C2"] {
                #expect(try await harness.redisCommand("EXISTS", harness.keys.hold(show, SeatID(seat)!)).integer == 0)
            }
            #expect(try await BestReplaceTests.holdIndex(harness, show: show.rawValue).isEmpty)
            #expect(try await harness.services.bookings.abandonPayment(session, held: []) == nil, "VOID: left alone")
            #expect(try await auditEvents(harness, "abandon") == 1)
        }
    }

    @Test("PAY with the total shown: a price changed since is refused, nothing charged, the seats still held")
    func priceShownIsPriceCharged() async throws {
        try await Harness.run("pricechange") { harness in
            let client = try await harness.customer("shopper")
            _ = try await harness.session(client)
            try await harness.expectOK(client, "HOLD B4 B5")
            #expect(try await client.send("QUOTE").final == "OK 2000 EUR")
            _ = try await harness.redisCommand("HSET", harness.keys.show(ShowID("1")!), "price:standard", "1500")

            let changed = try await client.send("PAY tok_visa 2000 EUR").final
            #expect(changed == "ERR PRICE_CHANGED 3000 EUR", "\(changed)")
            let ledger = try await harness.redis.scan(matching: "\(harness.keys.prefix):paysim:*")
            #expect(ledger.isEmpty, "nothing was sent to the gateway")
            #expect(try await client.send("PAY tok_visa 3000 USD").final == "ERR PRICE_CHANGED 3000 EUR")
            for bad in ["PAY tok_visa 2000", "PAY tok_visa 20.00 EUR", "PAY tok_visa 02000 EUR", "PAY tok_visa 1 eur"] {
                #expect(try await client.send(bad).final.hasPrefix("ERR BAD_REQUEST"), "\(bad)")
            }
            #expect(try await client.send("QUOTE").final == "OK 3000 EUR", "the session is as it was")
            let paid = try await client.send("PAY tok_visa 3000 EUR").final
            #expect(paid.hasPrefix("OK BOOKED ") && paid.hasSuffix(" 1 B4 B5"), "\(paid)")
            #expect(try await harness.seatStates(client, show: "1")["B4"] == "PERMANENTLY_UNAVAILABLE")
        }
    }

    @Test("A kiosk profile whose payment grace is not above the gateway's time limit is refused")
    func graceExceedsGatewayLimit() throws {
        let digest = String(repeating: "a", count: 64)
        for grace in [5, 14, 24] {
            #expect(throws: ProfileError.self) {
                try KioskProfile.parse(
                    "id = \"k\"\nsecret_sha256 = \"\(digest)\"\npayment_grace_seconds = \(grace)\n", file: "k.toml")
            }
        }
        let profile = try KioskProfile.parse(
            "id = \"k\"\nsecret_sha256 = \"\(digest)\"\npayment_grace_seconds = 25\n", file: "k.toml")
        #expect(profile.policy.paymentGraceMilliseconds == 25_000)
        #expect(KioskProfile.Defaults.shortestPaymentGraceSeconds == 25)
    }

    @Test("The gateway's time limit is real: a provider that ignores cancellation is cut off; its late approval voided")
    func gatewayTimeLimit() async throws {
        try await Harness.run("gwlimit") { harness in
            let simulator = SimulatedGateway(redis: harness.redis, keyPrefix: harness.keys.prefix)
            let gateway = TimeLimitedGateway(
                StubbornGateway(base: simulator, delay: .seconds(2)), limit: .milliseconds(300))
            let clock = ContinuousClock()
            let started = clock.now
            await #expect(throws: PaymentError.self) {
                try await gateway.authorize(
                    idempotencyKey: "late-1", token: PaymentToken("tok_visa")!,
                    amount: Money(minorUnits: 100, currency: "EUR"))
            }
            let took = clock.now - started
            #expect(took < .milliseconds(1500), "answered at the limit, not when the provider finally did: \(took)")
            #expect(try await simulator.lookup(idempotencyKey: "late-1")?.state == .authorized, "approved meanwhile")
            var state: PaymentState?
            for _ in 0..<60 where state != .voided {
                try await Task.sleep(for: .milliseconds(100))
                state = try await simulator.lookup(idempotencyKey: "late-1")?.state
            }
            #expect(state == .voided, "the late authorization is voided")

            let quick = TimeLimitedGateway(simulator, limit: .seconds(5))
            let record = try await quick.authorize(
                idempotencyKey: "quick-1", token: PaymentToken("tok_visa")!,
                amount: Money(minorUnits: 100, currency: "EUR"))
            #expect(record.state == .authorized, "an answer within the limit comes through")
        }
    }

    @Test("RESUME tells the session's own customer whether it is still paying or booked; nobody else learns anything")
    func resumeSaysPayingOrBooked() async throws {
        try await Harness.run("resumepay", paymentLatency: .seconds(2)) { harness in
            let payer = try await harness.customer("payer")
            let again = try await harness.kiosk()
            try await harness.expectOK(again, "LOGIN payer \(Harness.password)")
            let stranger = try await harness.customer("stranger")
            let elsewhere = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(elsewhere, "LOGIN payer \(Harness.password)")
            let session = try await harness.session(payer)
            try await harness.expectOK(payer, "HOLD C5")

            // While it is open, only its customer at its kiosk may take it: not another customer, not another kiosk.
            #expect(try await stranger.send("RESUME \(session)").final == "ERR NO_SESSION")
            #expect(try await elsewhere.send("RESUME \(session)").final == "ERR NO_SESSION")

            try await payer.sendRaw(Array("PAY tok_visa\n".utf8))
            let key = harness.keys.session(ShowID("1")!, SessionID(session)!)
            while try await harness.redisCommand("HGET", key, "state").string != "PAYING" {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await again.send("RESUME \(session)").final == "ERR NO_SESSION PAYING")
            #expect(try await stranger.send("RESUME \(session)").final == "ERR NO_SESSION")
            #expect(try await elsewhere.send("RESUME \(session)").final == "ERR NO_SESSION")
            #expect(try await payer.readReply().final.hasPrefix("OK BOOKED "))
            #expect(try await again.send("RESUME \(session)").final == "ERR NO_SESSION BOOKED")
            #expect(try await stranger.send("RESUME \(session)").final == "ERR NO_SESSION")

            // A later START moves the customer's latest session; naming the show still finds this one.
            _ = try await harness.session(elsewhere, show: "3")
            #expect(try await again.send("RESUME \(session) 1").final == "ERR NO_SESSION BOOKED")
            #expect(try await again.send("RESUME \(session)").final == "ERR NO_SESSION", "not the latest any more")
            #expect(try await stranger.send("RESUME \(session) 1").final == "ERR NO_SESSION")
        }
    }

    @Test("A session paid for from another connection: the first hears plain NO_SESSION, forgets it, may START again")
    func sessionTakenOverWhilePaying() async throws {
        try await Harness.run("takenover", paymentLatency: .seconds(2)) { harness in
            let first = try await harness.customer("roamer")
            let session = try await harness.session(first)
            try await harness.expectOK(first, "HOLD A3")
            let second = try await harness.kiosk()
            try await harness.expectOK(second, "LOGIN roamer \(Harness.password)")
            try await harness.expectOK(second, "RESUME \(session)")
            try await second.sendRaw(Array("PAY tok_visa\n".utf8))
            let key = harness.keys.session(ShowID("1")!, SessionID(session)!)
            while try await harness.redisCommand("HGET", key, "state").string != "PAYING" {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await first.send("HOLD A4").final == "ERR NO_SESSION")
            #expect(try await first.send("START 3").final == "ERR SESSION_OPEN", "the payment is in flight")
            #expect(try await second.readReply().final.hasPrefix("OK BOOKED "))
            #expect(try await first.send("START 3").final.hasPrefix("OK SESSION "), "the connection forgot it")
        }
    }
}

/// The payment simulator behind a delay it will not cut short, as a provider that ignores cancellation would be:
/// each authorization is recorded at once and answered only after `delay`.
private struct StubbornGateway: PaymentGateway {
    let base: SimulatedGateway
    let delay: Duration

    func authorize(idempotencyKey: String, token: PaymentToken, amount: Money) async throws(PaymentError)
        -> PaymentRecord
    {
        let record = try await base.authorize(idempotencyKey: idempotencyKey, token: token, amount: amount)
        let (seconds, attoseconds) = delay.components
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(
                deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
            ) { continuation.resume() }
        }
        return record
    }

    func capture(idempotencyKey: String) async throws(PaymentError) {
        try await base.capture(idempotencyKey: idempotencyKey)
    }

    func void(idempotencyKey: String) async throws(PaymentError) { try await base.void(idempotencyKey: idempotencyKey) }

    func refund(idempotencyKey: String) async throws(PaymentError) {
        try await base.refund(idempotencyKey: idempotencyKey)
    }

    func lookup(idempotencyKey: String) async throws(PaymentError) -> PaymentRecord? {
        try await base.lookup(idempotencyKey: idempotencyKey)
    }
}
