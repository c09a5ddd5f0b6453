import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import NIOCore
import RedisClient
import Testing

/// What a kiosk needs to draw and sell a show: LAYOUT, PRICES, WATCH, BEST and RESUME, over real TCP.
@Suite("Kiosk features: LAYOUT, PRICES, WATCH, BEST, RESUME")
struct KioskFeatureTests {
    /// The seat changes of show `show` that `client` hears until it has heard `expected` (merged, seat to state),
    /// or `seconds` have passed (KioskClient gives up waiting by closing the connection).
    static func seatEvents(_ client: KioskClient, show: String, until expected: [String: String], within seconds: Int)
        async throws -> [String: String]
    {
        var seen: [String: String] = [:]
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !expected.allSatisfy({ seen[$0.key] == $0.value }) {
            let left = deadline - ContinuousClock.now
            guard left > .zero,
                let event = try await client.nextEvent(
                    within: .milliseconds(
                        left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            else { break }
            let words = event.split(separator: " ")
            guard words.count > 3, words[1] == "SEATS", words[2] == show else { continue }
            for change in words.dropFirst(3) {
                let parts = change.split(separator: "=")
                if parts.count == 2 { seen[String(parts[0])] = String(parts[1]) }
            }
        }
        return seen
    }

    @Test("LAYOUT draws the auditorium row by row; PRICES lists each kind's price")
    func layoutAndPrices() async throws {
        try await Harness.run("layout") { harness in
            try await ProgrammeStoreTests.addMixedShow(harness)
            let kiosk = try await harness.kiosk()
            let layout = try await kiosk.send("LAYOUT k")
            #expect(layout.data == ["SCREEN K Kinds", "ROW A w_ssx", "ROW B ppp"])
            #expect(layout.final == "OK 2")
            let prices = try await kiosk.send("PRICES k")
            #expect(prices.data == ["PRICE standard 1000", "PRICE premium 1500", "PRICE wheelchair 1000"])
            #expect(prices.final == "OK EUR")
            let plain = try await kiosk.send("PRICES 1")
            #expect(plain.data == ["PRICE standard 1000"], "screen S has standard seats only")
            #expect(try await kiosk.send("LAYOUT nope").final == "ERR UNKNOWN_SHOW")
            #expect(try await kiosk.send("PRICES nope").final == "ERR UNKNOWN_SHOW")
            #expect(try await kiosk.send("LAYOUT").final.hasPrefix("ERR BAD_REQUEST"))
        }
    }

    @Test("A watching kiosk sees another kiosk's hold, release and sale within about a second")
    func watchSeesChanges() async throws {
        try await Harness.run("watch") { harness in
            let watcher = try await harness.kiosk()
            #expect(try await watcher.send("WATCH 1").final == "OK WATCHING 1")
            let buyer = try await harness.customer("walt")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD B2 B3")
            var seen = try await Self.seatEvents(
                watcher, show: "1", until: ["B2": "TEMPORARILY_UNAVAILABLE", "B3": "TEMPORARILY_UNAVAILABLE"],
                within: 3)
            #expect(seen["B2"] == "TEMPORARILY_UNAVAILABLE" && seen["B3"] == "TEMPORARILY_UNAVAILABLE")
            try await harness.expectOK(buyer, "RELEASE B3")
            seen = try await Self.seatEvents(watcher, show: "1", until: ["B3": "AVAILABLE"], within: 3)
            #expect(seen == ["B3": "AVAILABLE"], "only the seat that changed")
            try await harness.expectOK(buyer, "PAY tok_visa")
            seen = try await Self.seatEvents(watcher, show: "1", until: ["B2": "PERMANENTLY_UNAVAILABLE"], within: 3)
            #expect(seen["B2"] == "PERMANENTLY_UNAVAILABLE")
            #expect(try await watcher.send("UNWATCH").final == "OK UNWATCHED")
            #expect(try await watcher.send("WATCH nope").final == "ERR UNKNOWN_SHOW")
        }
    }

    @Test("A seat held and freed again between two readings of the watch is still told, with its state now")
    func watchSeesHoldAndFreeTogether() async throws {
        try await Harness.run("watch-flicker") { harness in
            let watcher = try await harness.kiosk()
            try await harness.expectOK(watcher, "WATCH 1")
            let store = BookingStore(redis: harness.redis, keys: harness.keys)
            let session = try await SeatMapChangeTests.session(store, harness, user: "flicker")
            // The hold and its release in one pipeline: Redis runs them back to back, well within one poll.
            let replies = try await harness.redis.send([
                store.holdCommand(session, seats: [SeatID("C2")!], policy: harness.policy),
                store.releaseCommand(session, seats: [SeatID("C2")!]),
            ])
            #expect(replies.allSatisfy { $0.array?.first?.string == "OK" }, "\(replies)")
            let seen = try await Self.seatEvents(watcher, show: "1", until: ["C2": "AVAILABLE"], within: 3)
            #expect(seen["C2"] == "AVAILABLE")
        }
    }

    @Test("A hold that expires by its TTL, with no daemon acting on it, reaches watchers too")
    func watchSeesExpiry() async throws {
        try await Harness.run("watch-expiry") { harness in
            let watcher = try await harness.kiosk()
            try await harness.expectOK(watcher, "WATCH 1")
            // A hold written straight into Redis, as a daemon that then died would leave it.
            let now = try await harness.redisCommand("TIME")
            let seconds = try #require(now.array?.first?.integer)
            // 5 to 6 s from now: several refresh intervals, even when every suite runs at once on a loaded machine
            let deadline = String((seconds + 6) * 1000)
            _ = try await harness.redisCommand(
                "SET", harness.keys.hold(ShowID("1")!, SeatID("C1")!), "00000000000000000000", "PXAT", deadline)
            _ = try await harness.redisCommand(
                "HSET", harness.keys.holdIndex(ShowID("1")!), "C1", "00000000000000000000 \(deadline)")
            // and counted as a change, as the hold script counts it in the same step
            _ = try await harness.redisCommand("HINCRBY", harness.keys.holdIndex(ShowID("1")!), "#changes", "1")
            let held = try await Self.seatEvents(
                watcher, show: "1", until: ["C1": "TEMPORARILY_UNAVAILABLE"], within: 5)
            #expect(held["C1"] == "TEMPORARILY_UNAVAILABLE")
            let freed = try await Self.seatEvents(watcher, show: "1", until: ["C1": "AVAILABLE"], within: 10)
            #expect(freed["C1"] == "AVAILABLE")
        }
    }

    @Test("BEST holds an adjacent group in the middle, answers like HOLD, and says SPLIT when it must")
    func best() async throws {
        try await Harness.run("best") { harness in
            let client = try await harness.customer("bess")
            _ = try await harness.session(client)
            // Screen S: rows A-C of 5; two thirds back is row B. Its middle three would strand B1 and B5, so the group
            // sits at one end of the row.
            let reply = try await client.send("BEST 3")
            #expect(
                reply.final.hasPrefix("OK HELD B1 B2 B3 EXPIRES ")
                    || reply.final.hasPrefix("OK HELD B3 B4 B5 EXPIRES "),
                "\(reply.final)")
            #expect(!reply.final.hasSuffix("SPLIT"))
            try await harness.expectOK(client, "CLOSE")

            // Leave only single free seats: A1 C5 and B3 (of the other kiosk's making, and then some).
            let other = try await harness.customer("otto")
            _ = try await harness.session(other)
            try await harness.expectOK(other, "HOLD A2 A3 A4 A5")
            let third = try await harness.customer("thea")
            _ = try await harness.session(third)
            try await harness.expectOK(third, "HOLD B1 B2 B4 B5")
            let fourth = try await harness.customer("fritz")
            _ = try await harness.session(fourth)
            try await harness.expectOK(fourth, "HOLD C1 C2 C3 C4")
            _ = try await harness.session(client)
            let split = try await client.send("BEST 2")
            #expect(split.final.hasPrefix("OK HELD ") && split.final.hasSuffix(" SPLIT"), "\(split.final)")
            #expect(try await client.send("BEST 2").final == "ERR NOT_ENOUGH_SEATS 1")
            #expect(try await client.send("BEST 9").final == "ERR SEAT_LIMIT 4")
            #expect(try await client.send("BEST 0").final.hasPrefix("ERR BAD_REQUEST"))
            #expect(try await client.send("BEST 1 blocked").final.hasPrefix("ERR BAD_REQUEST"))
        }
    }

    @Test("Kiosks asking BEST at once all get seats, none twice")
    func bestRace() async throws {
        try await Harness.run("best-race") { harness in
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<7 {
                    group.addTask {
                        let client = try await harness.customer("racer\(index)")
                        _ = try await harness.session(client)
                        let reply = try await client.send("BEST 2")
                        guard reply.final.hasPrefix("OK HELD ") else { return [reply.final] }
                        return reply.final.split(separator: " ").dropFirst(2).prefix { $0 != "EXPIRES" }.map(
                            String.init)
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let seats = results.filter { $0.count == 2 }.flatMap { $0 }
            #expect(results.allSatisfy { $0.count == 2 }, "15 seats, 7 pairs: everyone is seated: \(results)")
            #expect(Set(seats).count == seats.count, "no seat held twice")
        }
    }

    @Test("RESUME: after a lost connection the same customer at the same kiosk takes the session back")
    func resume() async throws {
        try await Harness.run("resume") { harness in
            let first = try await harness.customer("rosa")
            let session = try await harness.session(first)
            try await harness.expectOK(first, "HOLD A4 A5")
            await first.close()

            let again = try await harness.kiosk()
            try await harness.expectOK(again, "LOGIN rosa \(Harness.password)")
            let resumed = try await again.send("RESUME \(session)")
            #expect(resumed.final.hasPrefix("OK RESUMED \(session) 1 HELD A4 A5 EXPIRES "), "\(resumed.final)")
            #expect(try await again.send("RESUME \(session)").final == "ERR SESSION_OPEN")

            // While the session is live: not another customer, nor the same customer at another kiosk.
            let stranger = try await harness.customer("sven")
            #expect(try await stranger.send("RESUME \(session)").final == "ERR NO_SESSION", "another customer's")
            let elsewhere = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(elsewhere, "LOGIN rosa \(Harness.password)")
            #expect(try await elsewhere.send("RESUME \(session)").final == "ERR NO_SESSION", "another kiosk")
            try await harness.expectOK(again, "PAY tok_visa")

            #expect(try await stranger.send("RESUME 0123456789abcdef0123").final == "ERR NO_SESSION")
            #expect(try await stranger.send("RESUME xyz").final.hasPrefix("ERR BAD_REQUEST"))
            let paid = try await harness.kiosk()
            try await harness.expectOK(paid, "LOGIN rosa \(Harness.password)")
            #expect(
                try await paid.send("RESUME \(session)").final == "ERR NO_SESSION BOOKED", "a booked session is over")
        }
    }
}
