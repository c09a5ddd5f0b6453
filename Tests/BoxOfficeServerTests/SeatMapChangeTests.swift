import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import Credentials
import RedisClient
import Testing

/// SEATS keeps the holds and sold seats it read of a show for as long as the show's mark of changes (the hold
/// index's `#changes`) stays the same, and its sold seats for as long as the mark of sales (`#sold`) does. These
/// tests change seats through another daemon's store (a cache of its own), so that nothing but those marks can tell
/// the reader's daemon that its map is old.
@Suite("SEATS read again only after a change: never a stale seat", .timeLimit(.minutes(2)))
struct SeatMapChangeTests {
    /// A second daemon's view of the same Redis: a store with a cache of its own.
    static func otherDaemon(_ harness: Harness) -> BookingStore {
        BookingStore(redis: harness.redis, keys: harness.keys)
    }

    static func session(_ store: BookingStore, _ harness: Harness, user: String) async throws -> SessionRef {
        let name = Username(user)!
        let now = try await TheatreStore(redis: harness.redis, keys: harness.keys).now()
        _ = try await UserStore(redis: harness.redis, keys: harness.keys).create(name, passwordHash: "!", at: now)
        return try await store.start(
            show: ShowID("1")!, user: name, kiosk: Harness.kioskID, policy: harness.policy,
            id: SessionID(RandomToken.hex(byteCount: 10))!
        ).0
    }

    @Test("Holds, releases and a sale made by another daemon show in the next SEATS")
    func changesElsewhere() async throws {
        try await Harness.run("seatmap-changes") { harness in
            let reader = try await harness.kiosk()
            let other = Self.otherDaemon(harness)
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "AVAILABLE")
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "AVAILABLE", "read again unchanged")

            let session = try await Self.session(other, harness, user: "elsewhere")
            _ = try await other.hold(session, seats: [SeatID("C3")!], policy: harness.policy)
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "TEMPORARILY_UNAVAILABLE")
            _ = try await other.release(session, seats: [SeatID("C3")!])
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "AVAILABLE")

            let buyer = try await harness.customer("buyer")
            try await harness.expectOK(buyer, "START 1")
            try await harness.expectOK(buyer, "HOLD C4")
            #expect(try await buyer.send("PAY tok_visa").final.hasPrefix("OK BOOKED"))
            #expect(try await harness.seatStates(reader, show: "1")["C4"] == "PERMANENTLY_UNAVAILABLE")
        }
    }

    @Test("Sold seats kept across changes of holds, read again after a sale, a cancellation, a lost mark of sales")
    func soldSeatsKept() async throws {
        try await Harness.run("seatmap-sold") { harness in
            let show = ShowID("1")!
            let reader = try await harness.kiosk()
            let other = Self.otherDaemon(harness)
            #expect(try await harness.seatStates(reader, show: "1")["C4"] == "AVAILABLE")
            let (_, booking, _) = try await TicketTests.book(harness, "buyer", seats: "C4")
            #expect(try await harness.seatStates(reader, show: "1")["C4"] == "PERMANENTLY_UNAVAILABLE")

            // Holds change, sales do not: the sold seats the reader kept are still the truth.
            let session = try await Self.session(other, harness, user: "holder")
            _ = try await other.hold(session, seats: [SeatID("C3")!], policy: harness.policy)
            var states = try await harness.seatStates(reader, show: "1")
            #expect(states["C3"] == "TEMPORARILY_UNAVAILABLE" && states["C4"] == "PERMANENTLY_UNAVAILABLE")

            // A cancellation on another daemon moves the mark of sales.
            let cancelled = try await other.cancel(BookingID(booking)!, of: show, by: .boxOffice("test"))
            guard case .cancelled = cancelled else {
                Issue.record("not cancelled: \(cancelled)")
                return
            }
            states = try await harness.seatStates(reader, show: "1")
            #expect(states["C3"] == "TEMPORARILY_UNAVAILABLE" && states["C4"] == "AVAILABLE")

            // With no mark of sales (lost), the sold seats are read every time: a reader that read none must not take
            // "none" for a mark when a sale comes and its mark is lost again.
            _ = try await harness.redisCommand("HDEL", harness.keys.holdIndex(show), "#sold")
            #expect(try await harness.seatStates(reader, show: "1")["C5"] == "AVAILABLE")
            _ = try await TicketTests.book(harness, "second", seats: "C5")
            _ = try await harness.redisCommand("HDEL", harness.keys.holdIndex(show), "#sold")
            _ = try await other.release(session, seats: [SeatID("C3")!])
            states = try await harness.seatStates(reader, show: "1")
            #expect(states["C3"] == "AVAILABLE" && states["C5"] == "PERMANENTLY_UNAVAILABLE")
        }
    }

    @Test("A count of changes lost with its hold index starts again above any count a daemon remembers")
    func lostCount() async throws {
        try await Harness.run("seatmap-lost-count") { harness in
            let reader = try await harness.kiosk()
            let other = Self.otherDaemon(harness)
            // One change: a count that started again from nothing would be back at this value after one more.
            let first = try await Self.session(other, harness, user: "first")
            _ = try await other.hold(first, seats: [SeatID("B5")!], policy: harness.policy)
            #expect(try await harness.seatStates(reader, show: "1")["B5"] == "TEMPORARILY_UNAVAILABLE")

            _ = try await harness.redisCommand("DEL", harness.keys.holdIndex(ShowID("1")!))
            let second = try await Self.session(other, harness, user: "second")
            _ = try await other.hold(second, seats: [SeatID("B4")!], policy: harness.policy)
            #expect(try await harness.seatStates(reader, show: "1")["B4"] == "TEMPORARILY_UNAVAILABLE")
        }
    }

    @Test("A mark set back (a failover that lost the last write) and moved again never repeats a remembered one")
    func markSetBack() async throws {
        try await Harness.run("seatmap-set-back") { harness in
            let show = ShowID("1")!
            let index = harness.keys.holdIndex(show)
            let reader = try await harness.kiosk()
            let other = Self.otherDaemon(harness)
            let first = try await Self.session(other, harness, user: "first")
            _ = try await other.hold(first, seats: [SeatID("C1")!], policy: harness.policy)
            _ = try await other.release(first, seats: [SeatID("C1")!])
            let replica = (try await harness.redisCommand("HGETALL", index).array ?? []).compactMap(\.string)
            let lost = try await Self.session(other, harness, user: "lost")
            _ = try await other.hold(lost, seats: [SeatID("C3")!], policy: harness.policy)
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "TEMPORARILY_UNAVAILABLE")
            // A replica that lacks the last write takes over: the hold of C3 and its mark are gone.
            _ = try await harness.redisCommand("DEL", index, harness.keys.hold(show, SeatID("C3")!))
            _ = try await harness.redis.send(RedisCommand("HSET", arguments: [index] + replica))
            let after = try await Self.session(other, harness, user: "after")
            _ = try await other.hold(after, seats: [SeatID("C5")!], policy: harness.policy)
            let states = try await harness.seatStates(reader, show: "1")
            #expect(states["C3"] == "AVAILABLE")
            #expect(states["C5"] == "TEMPORARILY_UNAVAILABLE")
        }
    }

    @Test("A hold freed by hand as docs/REDIS.md shows it is free in the next SEATS")
    func freedByHand() async throws {
        try await Harness.run("seatmap-by-hand") { harness in
            let show = ShowID("1")!
            let reader = try await harness.kiosk()
            let other = Self.otherDaemon(harness)
            let session = try await Self.session(other, harness, user: "byhand")
            _ = try await other.hold(session, seats: [SeatID("C3")!], policy: harness.policy)
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "TEMPORARILY_UNAVAILABLE")
            _ = try await harness.redis.send(
                RedisCommand(
                    "EVAL",
                    "redis.call('DEL', KEYS[1]); redis.call('HINCRBY', KEYS[2], '#changes', 1); "
                        + "return redis.call('HDEL', KEYS[2], ARGV[1])",
                    "2", harness.keys.hold(show, SeatID("C3")!), harness.keys.holdIndex(show), "C3"))
            #expect(try await harness.seatStates(reader, show: "1")["C3"] == "AVAILABLE")
        }
    }

    @Test("A sold seat freed by hand as docs/REDIS.md shows it is free in the next SEATS")
    func soldFreedByHand() async throws {
        try await Harness.run("seatmap-sold-by-hand") { harness in
            let show = ShowID("1")!
            let reader = try await harness.kiosk()
            _ = try await TicketTests.book(harness, "buyer", seats: "C4")
            #expect(try await harness.seatStates(reader, show: "1")["C4"] == "PERMANENTLY_UNAVAILABLE")
            _ = try await harness.redis.send(
                RedisCommand(
                    "EVAL",
                    "redis.call('HINCRBY', KEYS[2], '#changes', 1); redis.call('HINCRBY', KEYS[2], '#sold', 1); "
                        + "return redis.call('HDEL', KEYS[1], ARGV[1])",
                    "2", harness.keys.sold(show), harness.keys.holdIndex(show), "C4"))
            #expect(try await harness.seatStates(reader, show: "1")["C4"] == "AVAILABLE")
        }
    }

    @Test("Readers racing holders on another daemon: once the holders stop, every reader's map is Redis's truth")
    func racingReaders() async throws {
        try await Harness.run("seatmap-race") { harness in
            let other = Self.otherDaemon(harness)
            let seats = ["A1", "A2", "A3", "A4", "A5", "B1"].map { SeatID($0)! }
            var sessions: [SessionRef] = []
            for index in 0..<6 { sessions.append(try await Self.session(other, harness, user: "holder\(index)")) }
            var readers: [KioskClient] = []
            for _ in 0..<4 { readers.append(try await harness.kiosk()) }
            let clock = ContinuousClock()
            let until = clock.now + .seconds(2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for session in sessions {
                    group.addTask {
                        // 60 changes at most: a session allows 64.
                        for _ in 0..<30 where clock.now < until {
                            let seat = seats.randomElement()!
                            do {
                                _ = try await other.hold(session, seats: [seat], policy: harness.policy)
                                _ = try await other.release(session, seats: [seat])
                            } catch StoreError.rejected(.seatsUnavailable) {}
                        }
                        if let seat = seats.randomElement() {  // the last hold stays
                            _ = try? await other.hold(session, seats: [seat], policy: harness.policy)
                        }
                    }
                }
                for reader in readers {
                    group.addTask {
                        while clock.now < until { _ = try await harness.seatStates(reader, show: "1") }
                    }
                }
                try await group.waitForAll()
            }
            var truth: [String: String] = [:]
            for seat in seats {
                let held = try await harness.redisCommand("EXISTS", harness.keys.hold(ShowID("1")!, seat)).integer
                truth[seat.description] = held == 1 ? "TEMPORARILY_UNAVAILABLE" : "AVAILABLE"
            }
            #expect(truth.values.contains("TEMPORARILY_UNAVAILABLE"))
            for reader in readers {
                let states = try await harness.seatStates(reader, show: "1")
                #expect(seats.map { states[$0.description] } == seats.map { truth[$0.description] })
            }
        }
    }
}
