import BoxOfficeCore
import BoxOfficeStore
import BoxOfficeTesting
import RedisClient
import Testing

@Suite("Booking: shows, sessions, holds, payment", .timeLimit(.minutes(2)))
struct BookingTests {
    @Test("SHOWS lists upcoming shows only, in the documented form")
    func shows() async throws {
        try await Harness.run("shows") { harness in
            let client = try await harness.kiosk()
            let reply = try await client.send("SHOWS")
            #expect(reply.final == "OK 2")
            #expect(reply.data.first == "ZONE UTC", "the theatre's time zone first")
            let shows = reply.data.filter { $0.hasPrefix("SHOW ") }
            #expect(shows.map { $0.split(separator: " ").dropFirst().first } == ["1", "3"])
            #expect(reply.data.filter { $0.hasPrefix("FREE ") }.count == 2, "each show's seats left")
            let fields = try #require(shows.first).split(separator: " ", maxSplits: 5)
            #expect(fields[0] == "SHOW" && fields[2] == "S" && fields[4] == "90")
            #expect(fields[3].count == 20 && fields[3].hasSuffix("Z"))
            #expect(fields[5] == "Test Movie: The Sequel")
        }
    }

    @Test("FREE after each SHOW: seats neither sold nor held, out of those on sale; one count a second for all")
    func seatsLeft() async throws {
        try await Harness.run("free") { harness in
            let client = try await harness.customer("fay")
            let read = ContinuousClock.now
            let before = try await client.send("SHOWS")
            let line = try #require(before.data.first { $0.hasPrefix("FREE 1 ") })
            let onSale = try #require(Int(line.split(separator: " ")[3]))
            #expect(line == "FREE 1 \(onSale) \(onSale)")
            _ = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1 A2")
            let other = try await harness.kiosk()
            let shared = try await other.send("SHOWS")
            if ContinuousClock.now - read < .milliseconds(900) {  // a loaded machine may take longer to get here
                #expect(shared.data == before.data, "every kiosk shares a count for a second")
            }
            try await Task.sleep(for: .milliseconds(1100))
            let after = try await client.send("SHOWS")
            #expect(after.data.contains("FREE 1 \(onSale - 2) \(onSale)"))
        }
    }

    @Test("START refuses unknown shows, started shows and a second session")
    func startRules() async throws {
        try await Harness.run("start") { harness in
            let client = try await harness.customer("lena")
            #expect(try await client.send("START 99").final == "ERR UNKNOWN_SHOW")
            #expect(try await client.send("START 2").final == "ERR SHOW_STARTED")
            let session = try await harness.session(client)
            #expect(session.count == 20)
            #expect(try await client.send("START 3").final == "ERR SESSION_OPEN")
            #expect(try await client.send("SEATS 99").final == "ERR UNKNOWN_SHOW")
        }
    }

    @Test("Case 1: U1 holds and pays; U2 never sees U1's seats available; U1 gets a confirmed booking")
    func caseOne() async throws {
        try await Harness.run("case1") { harness in
            let u1 = try await harness.customer("user1")
            let u2 = try await harness.customer("user2")
            _ = try await harness.session(u1)
            _ = try await harness.session(u2)
            #expect(try await harness.seatStates(u1)["B2"] == "AVAILABLE")
            #expect(try await harness.seatStates(u2)["B2"] == "AVAILABLE")
            #expect(try await u1.send("HOLD B2 B3").final == "OK HELD B2 B3 EXPIRES 300")
            let u1View = try await harness.seatStates(u1)
            #expect(u1View["B2"] == "SELECTED" && u1View["B3"] == "SELECTED")
            let u2View = try await harness.seatStates(u2)
            #expect(u2View["B2"] == "TEMPORARILY_UNAVAILABLE" && u2View["B3"] == "TEMPORARILY_UNAVAILABLE")
            let paid = try await u1.send("PAY tok_visa")
            #expect(paid.final.hasPrefix("OK BOOKED BK") && paid.final.hasSuffix(" 1 B2 B3"))
            let after = try await harness.seatStates(u2)
            #expect(after["B2"] == "PERMANENTLY_UNAVAILABLE" && after["B3"] == "PERMANENTLY_UNAVAILABLE")
            #expect(try await u2.send("HOLD B2").final == "ERR SEATS_UNAVAILABLE B2")
            let bookings = try await u1.send("BOOKINGS")
            #expect(bookings.final == "OK 1")
            let bookingID = try #require(paid.final.split(separator: " ").dropFirst(2).first.map(String.init))
            #expect(bookings.data.first?.hasPrefix("BOOKING \(bookingID) 1 ") == true)
            #expect(bookings.data.first?.hasSuffix(" B2 B3") == true)
            #expect(try await u2.send("BOOKINGS").final == "OK 0")
            #expect(try await u1.send("SEATS").final == "ERR NO_SESSION", "the session ended with the booking")

            // Redis holds the truth: seats sold to the booking, holds gone, payment captured.
            let sold = try await harness.redisCommand("HGET", harness.keys.sold(.init("1")!), "B2")
            #expect(sold.string == bookingID)
            #expect(try await harness.redisCommand("EXISTS", harness.keys.hold(.init("1")!, .init("B2")!)).integer == 0)
            let booking = try await harness.redisCommand(
                "HGET", harness.keys.booking(.init("1")!, .init(bookingID)!), "payment_state")
            #expect(booking.string == "CAPTURED")
            #expect(
                try await harness.redisCommand("HGET", harness.keys.booking(.init("1")!, .init(bookingID)!), "amount")
                    .string == "2000", "two standard seats at 10 EUR")
        }
    }

    @Test("Case 2: U1 holds and pays, the payment fails, U1 closes; U2 then sees the seats available")
    func caseTwo() async throws {
        try await Harness.run("case2") { harness in
            let u1 = try await harness.customer("user1")
            let u2 = try await harness.customer("user2")
            _ = try await harness.session(u1)
            _ = try await harness.session(u2)
            try await harness.expectOK(u1, "HOLD C1 C2")
            #expect(try await harness.seatStates(u2)["C1"] == "TEMPORARILY_UNAVAILABLE")
            #expect(try await u1.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 2")
            #expect(
                try await harness.seatStates(u2)["C1"] == "TEMPORARILY_UNAVAILABLE",
                "a declined payment keeps the seats held for a retry")
            #expect(try await u1.send("CLOSE").final == "OK CLOSED")
            let view = try await harness.seatStates(u2)
            #expect(view["C1"] == "AVAILABLE" && view["C2"] == "AVAILABLE")
            try await harness.expectOK(u2, "HOLD C1 C2")
        }
    }

    @Test("Case 3: U1 holds and starts paying; U2's overlapping hold fails naming the overlap")
    func caseThree() async throws {
        try await Harness.run("case3") { harness in
            let u1 = try await harness.customer("user1")
            let u2 = try await harness.customer("user2")
            _ = try await harness.session(u1)
            _ = try await harness.session(u2)
            try await harness.expectOK(u1, "HOLD A2 A3 A4")
            #expect(
                try await u1.send("PAY tok_chargeDeclinedInsufficientFunds").final
                    == "ERR PAYMENT_FAILED INSUFFICIENT_FUNDS 2")
            #expect(try await u2.send("HOLD A1 A2 A4 A5").final == "ERR SEATS_UNAVAILABLE A2 A4")
            #expect(try await harness.seatStates(u2)["A1"] == "AVAILABLE", "all or nothing: A1 was not taken")
            #expect(try await u2.send("HOLD A1 A5").final.hasPrefix("OK HELD A1 A5 EXPIRES"))
        }
    }

    @Test("Holds are keys with the session's id and a TTL of the session timeout")
    func holdKeys() async throws {
        try await Harness.run("holdkeys") { harness in
            let client = try await harness.customer("mona")
            let session = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1")
            let key = harness.keys.hold(.init("1")!, .init("A1")!)
            #expect(try await harness.redisCommand("GET", key).string == session)
            let ttl = try await harness.redisCommand("PTTL", key).integer ?? 0
            #expect((290_000...300_000).contains(ttl))
            let fields = try await harness.services.bookings.sessionFields(
                .init(show: .init("1")!, id: .init(session)!))
            #expect(fields["state"] == "OPEN" && fields["user"] == "mona" && fields["seats"] == "A1")
        }
    }

    @Test("The seat limit counts seats already held; unknown seats are named; nothing partial is held")
    func seatLimit() async throws {
        try await Harness.run("limit") { harness in
            let client = try await harness.customer("nina")
            _ = try await harness.session(client)
            #expect(try await client.send("HOLD A1 A2 A3 A4 A5").final == "ERR SEAT_LIMIT 4")
            try await harness.expectOK(client, "HOLD A1 A2 A3")
            #expect(try await client.send("HOLD B1 B2").final == "ERR SEAT_LIMIT 4")
            #expect(try await client.send("HOLD B1 Z9").final == "ERR UNKNOWN_SEAT Z9")
            #expect(
                try await client.send("HOLD A1 B1").final.hasPrefix("OK HELD A1 A2 A3 B1 EXPIRES"),
                "holding a seat again is harmless")
            let states = try await harness.seatStates(client)
            #expect(states.filter { $0.value == "SELECTED" }.keys.sorted() == ["A1", "A2", "A3", "B1"])
        }
    }

    @Test("RELEASE gives back seats of the selection, all or none")
    func release() async throws {
        try await Harness.run("release") { harness in
            let u1 = try await harness.customer("olga")
            let u2 = try await harness.customer("paul")
            _ = try await harness.session(u1)
            _ = try await harness.session(u2)
            try await harness.expectOK(u1, "HOLD A1 A2 A3")
            #expect(try await u1.send("RELEASE A2 B5").final == "ERR NOT_HELD B5")
            #expect(try await u1.send("RELEASE A2").final == "OK HELD A1 A3")
            #expect(try await harness.seatStates(u2)["A2"] == "AVAILABLE")
            #expect(try await u1.send("RELEASE A1 A3").final == "OK HELD")
            #expect(try await u1.send("PAY tok_visa").final == "ERR NOTHING_HELD")
        }
    }

    @Test("Payment retry: declines keep the seats until the attempts are used up, then free them at once")
    func paymentAttempts() async throws {
        try await Harness.run("attempts") { harness in
            let u1 = try await harness.customer("quinn")
            let u2 = try await harness.customer("rosa")
            _ = try await harness.session(u1)
            _ = try await harness.session(u2)
            try await harness.expectOK(u1, "HOLD B4 B5")
            #expect(try await u1.send("PAY tok_unknown").final == "ERR PAYMENT_FAILED INVALID_TOKEN 2")
            #expect(try await u1.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 1")
            #expect(try await harness.seatStates(u2)["B4"] == "TEMPORARILY_UNAVAILABLE")
            #expect(try await u1.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 0")
            let view = try await harness.seatStates(u2)
            #expect(view["B4"] == "AVAILABLE" && view["B5"] == "AVAILABLE")
            #expect(try await u1.send("PAY tok_visa").final == "ERR NO_SESSION")

            // The gateway's ledger has three declines and nothing authorized.
            let entries = try await harness.redis.scan(matching: "\(harness.keys.prefix):paysim:auth:*")
            #expect(entries.count == 3)
            for entry in entries {
                #expect(try await harness.redisCommand("HGET", entry, "state").string == "DECLINED")
            }
        }
    }

    @Test("A retry after a decline can succeed")
    func paymentRetrySucceeds() async throws {
        try await Harness.run("retry") { harness in
            let client = try await harness.customer("sven")
            _ = try await harness.session(client)
            try await harness.expectOK(client, "HOLD C3")
            #expect(try await client.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 2")
            #expect(try await client.send("PAY tok_mastercard").final.hasPrefix("OK BOOKED"))
        }
    }

    @Test("CLOSE, LOGOUT and QUIT free the session's seats at once")
    func endingFreesSeats() async throws {
        try await Harness.run("ending") { harness in
            let watcher = try await harness.customer("watcher")
            for (index, ending) in ["CLOSE", "LOGOUT", "QUIT"].enumerated() {
                let client = try await harness.customer("leaver\(index)")
                _ = try await harness.session(client)
                try await harness.expectOK(client, "HOLD A\(index + 1)")
                #expect(try await harness.seatStates(watcher, show: "1")["A\(index + 1)"] == "TEMPORARILY_UNAVAILABLE")
                try await harness.expectOK(client, ending)
                #expect(try await harness.seatStates(watcher, show: "1")["A\(index + 1)"] == "AVAILABLE", "\(ending)")
            }
        }
    }

    @Test("A session times out: its seats free themselves and the kiosk hears EVENT EXPIRED")
    func timeout() async throws {
        // 4 s: a loaded machine running every suite at once still reads the seats while they are held.
        let policy = SessionPolicy(
            timeoutMilliseconds: 4000, maxSeats: 4, paymentAttempts: 3,
            paymentGraceMilliseconds: 60_000)
        try await Harness.run("timeout", policy: policy) { harness in
            let u1 = try await harness.customer("tina")
            let u2 = try await harness.customer("umar")
            let session = try await harness.session(u1)
            try await harness.expectOK(u1, "HOLD A1 A2")
            #expect(try await harness.seatStates(u2, show: "1")["A1"] == "TEMPORARILY_UNAVAILABLE")
            let event = try await u1.nextEvent(within: .seconds(8))
            #expect(event == "EVENT EXPIRED \(session)")
            #expect(try await u1.send("HOLD A3").final == "ERR NO_SESSION")
            #expect(try await harness.seatStates(u2, show: "1")["A1"] == "AVAILABLE")
            let fields = try await harness.services.bookings.sessionFields(
                .init(show: .init("1")!, id: .init(session)!))
            #expect(fields["state"] == "EXPIRED")

            // A session that holds nothing expires the same time after START.
            let idle = try await harness.session(u1)
            #expect(try await u1.nextEvent(within: .seconds(8)) == "EVENT EXPIRED \(idle)")
        }
    }

    @Test("Hold keys expire by themselves even when no daemon is watching")
    func holdsExpireWithoutDaemon() async throws {
        let policy = SessionPolicy(
            timeoutMilliseconds: 3000, maxSeats: 4, paymentAttempts: 3,
            paymentGraceMilliseconds: 60_000)
        try await Harness.run("abandon", policy: policy) { harness in
            let u1 = try await harness.customer("vera")
            let u2 = try await harness.customer("walt")
            _ = try await harness.session(u1)
            try await harness.expectOK(u1, "HOLD C4")
            await u1.close()  // the kiosk vanishes; nobody closes the session
            #expect(try await harness.seatStates(u2, show: "1")["C4"] == "TEMPORARILY_UNAVAILABLE")
            try await Task.sleep(for: .milliseconds(3300))
            #expect(try await harness.redisCommand("EXISTS", harness.keys.hold(.init("1")!, .init("C4")!)).integer == 0)
            #expect(try await harness.seatStates(u2, show: "1")["C4"] == "AVAILABLE")
        }
    }

    @Test("A hold lost before PAY (an operator deleted it): HOLD_LOST, the session ends, its other seats come free")
    func holdLostBeforePaying() async throws {
        try await Harness.run("holdlost") { harness in
            let buyer = try await harness.customer("zack")
            let watcher = try await harness.kiosk()
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A4 A5")
            _ = try await harness.redisCommand("DEL", harness.keys.hold(.init("1")!, .init("A4")!))
            #expect(try await buyer.send("PAY tok_visa").final == "ERR HOLD_LOST")
            #expect(try await harness.seatStates(watcher, show: "1")["A5"] == "AVAILABLE")
            #expect(try await buyer.send("CLOSE").final == "ERR NO_SESSION")
            let ledger = try await harness.redis.scan(matching: "\(harness.keys.prefix):paysim:*")
            #expect(ledger.isEmpty, "nothing was sent to the gateway")
        }
    }
}
