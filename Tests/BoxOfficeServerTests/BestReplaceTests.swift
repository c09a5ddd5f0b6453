import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import RedisClient
import Testing

/// `BEST <count> [<kind>] REPLACE`: the best group in place of the seats held, in one step, over real TCP and Redis.
@Suite("BEST REPLACE: the best seats in place of those held, all or none")
struct BestReplaceTests {
    /// The seats of an `OK HELD ... EXPIRES ...` reply.
    static func held(_ final: String) -> [String] {
        guard final.hasPrefix("OK HELD ") else { return [] }
        return final.split(separator: " ").dropFirst(2).prefix { $0 != "EXPIRES" }.map(String.init)
    }

    /// The show's hold index, seat to session id.
    static func holdIndex(_ harness: Harness, show: String = "1") async throws -> [String: String] {
        let flat = try await harness.redisCommand("HGETALL", harness.keys.holdIndex(ShowID(show)!)).array ?? []
        var index: [String: String] = [:]
        for entry in stride(from: 0, to: flat.count - 1, by: 2) {
            // `#changes` marks the show's changes; every other field is a seat.
            guard let seat = flat[entry].string, !seat.hasPrefix("#"), let value = flat[entry + 1].string else {
                continue
            }
            index[seat] = String(value.prefix { $0 != " " })
        }
        return index
    }

    /// The show's audit entries, oldest first, each as its fields.
    static func audit(_ harness: Harness, show: String = "1") async throws -> [[String: String]] {
        let entries = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID(show)!), "-", "+").array ?? []
        return entries.map { entry in
            let flat = entry.array?.last?.array ?? []
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: flat.count - 1, by: 2) {
                if let name = flat[index].string, let value = flat[index + 1].string { fields[name] = value }
            }
            return fields
        }
    }

    /// What Redis says session `id` of show `show` holds: its `seats` field, and the seats whose hold key is its.
    static func holdings(_ harness: Harness, _ id: String, show: String = "1") async throws
        -> (listed: Set<String>, keys: Set<String>)
    {
        let showID = ShowID(show)!
        let listed = try await harness.redisCommand("HGET", harness.keys.session(showID, SessionID(id)!), "seats")
        var keys: Set<String> = []
        for row in ["A", "B", "C"] {
            for place in 1...5 {
                let seat = SeatID("\(row)\(place)")!
                if try await harness.redisCommand("GET", harness.keys.hold(showID, seat)).string == id {
                    keys.insert(seat.description)
                }
            }
        }
        return (Set((listed.string ?? "").split(separator: " ").map(String.init)), keys)
    }

    @Test("REPLACE moves the selection in one step: the old seats are free at once, the index and audit agree")
    func replaceMoves() async throws {
        try await Harness.run("best-replace") { harness in
            let client = try await harness.customer("rhea")
            let session = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1 A2")
            let reply = try await client.send("BEST 2 REPLACE")
            let group = Self.held(reply.final)
            #expect(group.count == 2 && !group.contains("A1") && !group.contains("A2"), "\(reply.final)")

            let other = try await harness.customer("omar")
            let seen = try await harness.seatStates(other, show: "1")
            #expect(seen["A1"] == "AVAILABLE" && seen["A2"] == "AVAILABLE")
            #expect(group.allSatisfy { seen[$0] == "TEMPORARILY_UNAVAILABLE" })
            _ = try await harness.session(other)
            try await harness.expectOK(other, "HOLD A1 A2")

            let mine = try await harness.seatStates(client)
            #expect(mine.filter { $0.value == "SELECTED" }.keys.sorted() == group.sorted())
            let holdings = try await Self.holdings(harness, session)
            #expect(holdings.listed == Set(group) && holdings.keys == Set(group))
            let index = try await Self.holdIndex(harness)
            #expect(index.filter { $0.value == session }.keys.sorted() == group.sorted())

            let entries = try await Self.audit(harness).filter { $0["session"] == session }
            #expect(entries.map { $0["event"] } == ["hold", "release", "hold"])
            #expect(entries[1]["seats"] == "A1 A2" && entries[1]["replace"] == "1")
            #expect(entries[2]["seats"].map { Set($0.split(separator: " ").map(String.init)) } == Set(group))
            #expect(entries[2]["replace"] == "1")
        }
    }

    @Test("REPLACE counts the session's own seats as free, and the seat limit counts the new group alone")
    func ownSeatsCount() async throws {
        try await Harness.run("best-replace-own") { harness in
            try await ProgrammeStoreTests.addMixedShow(harness)
            let client = try await harness.customer("olga")
            _ = try await harness.session(client, show: "k")
            // Show k has three premium seats, B1-B3; the session holds all of them.
            try await harness.expectOK(client, "HOLD B1 B2 B3")
            #expect(try await client.send("BEST 1 premium").final == "ERR NOT_ENOUGH_SEATS 0")
            let same = try await client.send("BEST 3 premium REPLACE")
            #expect(same.final.hasPrefix("OK HELD B1 B2 B3 EXPIRES "), "\(same.final)")
            // Four held on screen S: a plain BEST 1 passes the limit, BEST 4 REPLACE does not.
            let wide = try await harness.customer("wim")
            _ = try await harness.session(wide)
            try await harness.expectOK(wide, "HOLD A1 A2 A3 A4")
            #expect(try await wide.send("BEST 1").final == "ERR SEAT_LIMIT 4")
            let four = try await wide.send("BEST 4 REPLACE")
            #expect(Self.held(four.final).count == 4, "\(four.final)")
        }
    }

    @Test("A refused REPLACE leaves the seats held: NOT_ENOUGH_SEATS, SEAT_LIMIT, and a seat taken in Redis")
    func refusalKeepsSeats() async throws {
        try await Harness.run("best-replace-refused") { harness in
            try await ProgrammeStoreTests.addMixedShow(harness)
            let client = try await harness.customer("ruth")
            let session = try await harness.session(client, show: "k")
            try await harness.expectOK(client, "HOLD A2 A3")
            #expect(try await client.send("BEST 4 premium REPLACE").final == "ERR NOT_ENOUGH_SEATS 3")
            #expect(try await client.send("BEST 5 REPLACE").final == "ERR SEAT_LIMIT 4")
            let other = try await harness.customer("otis")
            let seen = try await harness.seatStates(other, show: "k")
            #expect(seen["A2"] == "TEMPORARILY_UNAVAILABLE" && seen["A3"] == "TEMPORARILY_UNAVAILABLE")

            // The script's own refusal: a seat of the group held by another session changes nothing at all.
            _ = try await harness.session(other, show: "k")
            try await harness.expectOK(other, "HOLD B1")
            let ref = SessionRef(show: ShowID("k")!, id: SessionID(session)!)
            let before = try await Self.audit(harness, show: "k").count
            await #expect(throws: StoreError.rejected(.seatsUnavailable([SeatID("B1")!]))) {
                try await harness.services.bookings.replace(
                    ref, with: [SeatID("B1")!, SeatID("B2")!], believedHeld: [SeatID("A2")!, SeatID("A3")!],
                    policy: harness.policy)
            }
            #expect(try await Self.audit(harness, show: "k").count == before, "nothing audited")
            let holdings = try await Self.holdings(harness, session, show: "k")
            #expect(holdings.listed == ["A2", "A3"])
            let index = try await Self.holdIndex(harness, show: "k")
            #expect(index["A2"] == session && index["A3"] == session && index["B2"] == nil)
            #expect(try await harness.seatStates(client)["A2"] == "SELECTED")

            // A caller whose list of held seats is out of date is asked again, and the seats still move together.
            let moved = try await harness.services.bookings.replace(
                ref, with: [SeatID("B2")!, SeatID("B3")!], believedHeld: [], policy: harness.policy)
            #expect(moved.seats == [SeatID("B2")!, SeatID("B3")!])
            let after = try await Self.holdIndex(harness, show: "k")
            #expect(after["A2"] == nil && after["A3"] == nil && after["B2"] == session && after["B3"] == session)
        }
    }

    @Test("Kiosks replacing their seats at once never hold a seat twice; each keeps its old seat or its new pair")
    func replaceRace() async throws {
        try await Harness.run("best-replace-race") { harness in
            // Seven customers hold a seat each first; then all seven ask for a pair in its place at once.
            var customers: [(KioskClient, String, String)] = []
            for (index, seat) in ["A1", "A3", "A5", "B2", "B4", "C1", "C5"].enumerated() {
                let client = try await harness.customer("swap\(index)")
                let session = try await harness.session(client)
                try await harness.expectOK(client, "HOLD \(seat)")
                customers.append((client, session, seat))
            }
            let results = try await withThrowingTaskGroup(of: (String, String, [String]).self) { group in
                for (client, session, seat) in customers {
                    group.addTask {
                        let reply = try await client.send("BEST 2 REPLACE")
                        return (session, seat, reply.isOK ? Self.held(reply.final) : [reply.final])
                    }
                }
                return try await group.reduce(into: [(String, String, [String])]()) { $0.append($1) }
            }
            var owner: [String: String] = [:]
            for (session, seat, outcome) in results {
                let expected = outcome.count == 2 ? Set(outcome) : [seat]
                #expect(outcome.count == 2 || outcome == ["ERR SEATS_UNAVAILABLE"], "\(outcome)")
                let holdings = try await Self.holdings(harness, session)
                #expect(holdings.listed == expected && holdings.keys == expected, "\(session): \(outcome)")
                for held in expected {
                    #expect(owner[held] == nil, "\(held) held twice")
                    owner[held] = session
                }
            }
            #expect(try await Self.holdIndex(harness) == owner, "the index names exactly the holds")
        }
    }
}
