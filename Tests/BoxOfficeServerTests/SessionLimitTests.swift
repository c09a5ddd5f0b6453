import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import RedisClient
import Testing

/// A customer cannot hoard seats or fill Redis with sessions: one open session per customer, START limits per
/// customer and per kiosk, and a short life for sessions that held nothing.
@Suite("Session limits: one open session per customer, START floods, retention", .timeLimit(.minutes(2)))
struct SessionLimitTests {
    @Test("A START at another kiosk closes the customer's first session and frees its seats")
    func oneSessionPerCustomer() async throws {
        try await Harness.run("onesession") { harness in
            let first = try await harness.customer("hoarder")
            _ = try await harness.session(first)
            try await harness.expectOK(first, "HOLD A1 A2 A3 A4")
            let second = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(second, "LOGIN hoarder \(Harness.password)")
            _ = try await harness.session(second, show: "3")
            try await harness.expectOK(second, "HOLD B1 B2 B3 B4")

            let states = try await harness.seatStates(second, show: "1")
            #expect(["A1", "A2", "A3", "A4"].allSatisfy { states[$0] == "AVAILABLE" }, "the first session's seats")
            #expect(try await first.send("HOLD C1").final == "ERR NO_SESSION")
            #expect(try await first.send("START 1").final.hasPrefix("OK SESSION"), "and the first kiosk may START")
            #expect(try await second.send("HOLD B5").final == "ERR NO_SESSION", "which closes the second")
            #expect(try await harness.seatStates(first, show: "3")["B1"] == "AVAILABLE")
        }
    }

    @Test("A kiosk STARTs after its CLOSE while another kiosk opened a session for the customer: that one is closed")
    func startAfterCloseElsewhere() async throws {
        try await Harness.run("startafterclose") { harness in
            let pointer = { try await harness.redisCommand("HGET", harness.keys.user(Username("mover")!), "session") }
            let first = try await harness.customer("mover")
            _ = try await harness.session(first)
            try await harness.expectOK(first, "CLOSE")
            let again = try await harness.session(first)
            #expect(try await pointer().string == "1/\(again)", "a START after the kiosk's own CLOSE")
            try await harness.expectOK(first, "CLOSE")

            // The first kiosk saw its session end; the customer's pointer has moved on since.
            let second = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(second, "LOGIN mover \(Harness.password)")
            _ = try await harness.session(second, show: "3")
            try await harness.expectOK(second, "HOLD B1 B2")
            let latest = try await harness.session(first)
            #expect(try await second.send("HOLD B5").final == "ERR NO_SESSION")
            #expect(try await harness.seatStates(first, show: "3")["B1"] == "AVAILABLE")
            #expect(try await pointer().string == "1/\(latest)")
        }
    }

    @Test("A CLOSE a failover lost: the next START at that connection closes the session again and frees its seats")
    func lostCloseThenStart() async throws {
        try await Harness.run("lostclose") { harness in
            let show = ShowID("1")!
            let client = try await harness.customer("ghost")
            let id = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1 A2")
            let session = harness.keys.session(show, SessionID(id)!)
            let index = harness.keys.holdIndex(show)
            let open = harness.keys.openSessions(show)
            // What a replica that has not received the CLOSE yet holds.
            let fields = (try await harness.redisCommand("HGETALL", session).array ?? []).compactMap(\.string)
            let indexFields = (try await harness.redisCommand("HGETALL", index).array ?? []).compactMap(\.string)
            let score = try #require(try await harness.redisCommand("ZSCORE", open, id).string)
            let deadline = fields[try #require(fields.firstIndex(of: "deadline")) + 1]
            try await harness.expectOK(client, "CLOSE")
            // That replica takes over: the CLOSE's writes are gone (the customer's pointer lives in another slot).
            _ = try await harness.redis.send(RedisCommand("HSET", arguments: [session] + fields))
            _ = try await harness.redisCommand("HDEL", session, "ended")
            _ = try await harness.redis.send(RedisCommand("HSET", arguments: [index] + indexFields))
            _ = try await harness.redisCommand("ZADD", open, score, id)
            for seat in ["A1", "A2"] {
                _ = try await harness.redisCommand("SET", harness.keys.hold(show, SeatID(seat)!), id, "PXAT", deadline)
            }
            let other = try await harness.kiosk(Harness.otherKioskID)
            #expect(try await harness.seatStates(other, show: "1")["A1"] == "TEMPORARILY_UNAVAILABLE")

            let second = try await harness.session(client, show: "3")
            let state = try await harness.redisCommand("HGET", session, "state").string
            #expect(state == "CLOSED", "the customer's sessions: \(id) \(state ?? "-"), \(second) OPEN")
            #expect(try await harness.seatStates(other, show: "1")["A1"] == "AVAILABLE")
        }
    }

    @Test("A START while the customer's other session is paying: ERR SESSION_OPEN, and the payment books")
    func startWhilePaying() async throws {
        try await Harness.run("startpaying", paymentLatency: .seconds(3)) { harness in
            let payer = try await harness.customer("patient")
            let elsewhere = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(elsewhere, "LOGIN patient \(Harness.password)")
            let session = try await harness.session(payer)
            try await harness.expectOK(payer, "HOLD C1 C2")
            try await payer.sendRaw(Array("PAY tok_visa\n".utf8))
            let key = harness.keys.session(ShowID("1")!, SessionID(session)!)
            while try await harness.redisCommand("HGET", key, "state").string != "PAYING" {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await elsewhere.send("START 3").final == "ERR SESSION_OPEN")
            #expect(try await payer.readReply().final.hasPrefix("OK BOOKED "))
            #expect(try await elsewhere.send("START 3").final.hasPrefix("OK SESSION"), "once the payment is over")
        }
    }

    @Test("Six kiosks START for one customer at once, then HOLD: seats held in one session at most")
    func concurrentStarts() async throws {
        try await Harness.run("startrace") { harness in
            try await harness.expectOK(try await harness.kiosk(), "REGISTER twin \(Harness.password)")
            var kiosks: [KioskClient] = []
            for index in 0..<6 {
                let kiosk = try await harness.kiosk(index.isMultiple(of: 2) ? Harness.kioskID : Harness.otherKioskID)
                try await harness.expectOK(kiosk, "LOGIN twin \(Harness.password)")
                kiosks.append(kiosk)
            }
            let seats = ["A1 A2", "B1 B2", "C1 C2", "A4 A5", "B4 B5", "C4 C5"]
            let holds = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, kiosk) in kiosks.enumerated() {
                    group.addTask {
                        guard try await kiosk.send("START 1").isOK else { return "no session" }
                        return try await kiosk.send("HOLD \(seats[index])").final
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let holders = Set(try await BestReplaceTests.holdIndex(harness).values)
            var live: Set<String> = []
            for holder in holders {
                let state = try await harness.redisCommand(
                    "HGET", harness.keys.session(ShowID("1")!, SessionID(String(holder))!), "state")
                if state.string == "OPEN" { live.insert(holder) }
            }
            #expect(live.count <= 1, "sessions holding seats: \(live), replies \(holds)")
            #expect(holds.contains { $0.hasPrefix("OK HELD") }, "one of them holds: \(holds)")
        }
    }

    @Test("START floods: a customer may open 5 sessions in the window, a kiosk 8; then RATE_LIMITED")
    func startFlood() async throws {
        var policy = Harness.standardPolicy
        policy.startsPerCustomer = 5
        policy.startsPerKiosk = 8
        try await Harness.run("startflood", policy: policy) { harness in
            let flooder = try await harness.customer("flooder")
            for _ in 0..<5 {
                try await harness.expectOK(flooder, "START 1")
                try await harness.expectOK(flooder, "CLOSE")
            }
            let refused = try await flooder.send("START 1").final
            #expect(refused.hasPrefix("ERR RATE_LIMITED "), "\(refused)")
            let seconds = Int(refused.split(separator: " ").last ?? "") ?? 0
            #expect((1...600).contains(seconds), "\(refused)")

            let other = try await harness.customer("neighbour")
            for _ in 0..<3 {
                try await harness.expectOK(other, "START 1")
                try await harness.expectOK(other, "CLOSE")
            }
            #expect(try await other.send("START 1").final.hasPrefix("ERR RATE_LIMITED "), "the kiosk's 8 are used")
            let elsewhere = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(elsewhere, "LOGIN neighbour \(Harness.password)")
            #expect(try await elsewhere.send("START 1").final.hasPrefix("OK SESSION"), "another kiosk has its own")
        }
    }

    @Test("A kiosk with 3 sessions open may START no more until one ends; ending one makes room at once")
    func openSessionsPerKiosk() async throws {
        var policy = Harness.standardPolicy
        policy.openSessionsPerKiosk = 3
        try await Harness.run("openlimit", policy: policy) { harness in
            var customers: [KioskClient] = []
            for index in 0..<4 { customers.append(try await harness.customer("hoard\(index)")) }
            for (customer, seat) in zip(customers, ["A1", "B1", "C1"]) {
                _ = try await harness.session(customer)
                try await harness.expectOK(customer, "HOLD \(seat)")
            }
            let refused = try await customers[3].send("START 1").final
            #expect(refused.hasPrefix("ERR RATE_LIMITED "), "\(refused)")
            let elsewhere = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(elsewhere, "LOGIN hoard3 \(Harness.password)")
            #expect(try await elsewhere.send("START 1").final.hasPrefix("OK SESSION"), "another kiosk has its own")
            try await harness.expectOK(customers[0], "CLOSE")
            #expect(try await customers[3].send("START 3").final.hasPrefix("OK SESSION"), "a session ended: room")
        }
    }

    @Test("A session makes 64 changes at most (each is audited): then TOO_MANY_CHANGES, and a new session may go on")
    func changesPerSession() async throws {
        try await Harness.run("changes") { harness in
            let fidget = try await harness.customer("fidget")
            _ = try await harness.session(fidget)
            for _ in 0..<32 {
                try await harness.expectOK(fidget, "HOLD A1")
                try await harness.expectOK(fidget, "RELEASE A1")
            }
            #expect(try await fidget.send("HOLD A1").final == "ERR TOO_MANY_CHANGES 64")
            #expect(try await fidget.send("RELEASE A1").final.hasPrefix("ERR "))
            let entries = try await harness.redisCommand("XLEN", harness.keys.audit(ShowID("1")!)).integer ?? 0
            #expect(entries <= 65, "64 changes and the load: \(entries)")
            try await harness.expectOK(fidget, "CLOSE")
            _ = try await harness.session(fidget)
            try await harness.expectOK(fidget, "HOLD A1")
        }
    }

    @Test("A session that never held a seat is kept a minute after it ends; one that held, an hour")
    func retention() async throws {
        try await Harness.run("retention") { harness in
            let client = try await harness.customer("brief")
            let empty = try await harness.session(client)
            try await harness.expectOK(client, "CLOSE")
            let used = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1")
            try await harness.expectOK(client, "CLOSE")
            func ttl(_ session: String) async throws -> Int {
                try await harness.redisCommand("PTTL", harness.keys.session(ShowID("1")!, SessionID(session)!))
                    .integer ?? 0
            }
            #expect((1...60_000).contains(try await ttl(empty)))
            #expect((3_000_000...3_600_000).contains(try await ttl(used)))

            // Open and never used, it goes a minute after its deadline.
            let idle = try await harness.session(client)
            let left = try await ttl(idle)
            #expect((300_000...360_000).contains(left), "\(left)")
        }
    }
}
