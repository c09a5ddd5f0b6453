import BoxOfficeClient
import BoxOfficeTesting
import RedisClient
import Testing

@Suite("Races: many kiosks at once, each seat to exactly one", .timeLimit(.minutes(2)))
struct RaceTests {
    @Test("Ten kiosks hold the same two seats at once: exactly one wins")
    func sameSeats() async throws {
        try await Harness.run("race-same") { harness in
            var clients: [KioskClient] = []
            for index in 0..<10 {
                let client = try await harness.customer("racer\(index)")
                _ = try await harness.session(client)
                clients.append(client)
            }
            let finals = try await withThrowingTaskGroup(of: String.self) { group in
                for client in clients { group.addTask { try await client.send("HOLD A1 A2").final } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(finals.filter { $0.hasPrefix("OK HELD A1 A2") }.count == 1)
            #expect(finals.filter { $0 == "ERR SEATS_UNAVAILABLE A1 A2" }.count == 9)
        }
    }

    @Test("Overlapping groups held and paid for by racing kiosks: no seat is ever held or sold twice")
    func overlappingGroups() async throws {
        try await Harness.run("race-groups") { harness in
            let seats = (1...5).flatMap { number in ["A", "B"].map { "\($0)\(number)" } }
            var clients: [KioskClient] = []
            for index in 0..<8 {
                let client = try await harness.customer("group\(index)")
                _ = try await harness.session(client)
                clients.append(client)
            }
            // Three rounds of everyone grabbing 2-3 seats from the same ten.
            var held: [Int: Set<String>] = [:]
            for _ in 0..<3 {
                let outcomes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                    for (index, client) in clients.enumerated() {
                        let wanted = Array(seats.shuffled().prefix(Int.random(in: 2...3)))
                        group.addTask { (index, try await client.send("HOLD " + wanted.joined(separator: " ")).final) }
                    }
                    return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
                }
                for (index, final) in outcomes where final.hasPrefix("OK HELD ") {
                    held[index] = Set(
                        final.dropFirst("OK HELD ".count).split(separator: " ").prefix { $0 != "EXPIRES" }.map(
                            String.init))
                }
                for (index, final) in outcomes {
                    #expect(
                        final.hasPrefix("OK HELD") || final.hasPrefix("ERR SEATS_UNAVAILABLE")
                            || final == "ERR SEAT_LIMIT 4",
                        "client \(index): \(final)")
                }
            }
            let allHeld = held.values.flatMap { $0 }
            #expect(allHeld.count == Set(allHeld).count, "a seat was held by two sessions: \(held)")

            let booked = try await withThrowingTaskGroup(of: [String].self) { group in
                for client in clients {
                    group.addTask {
                        let final = try await client.send("PAY tok_visa").final
                        guard final.hasPrefix("OK BOOKED") else { return [] }
                        return final.split(separator: " ").dropFirst(4).map(String.init)
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(booked.count == Set(booked).count, "a seat was sold twice")
            #expect(Set(booked) == Set(allHeld), "every held seat was paid for")
            let sold = try await harness.redisCommand("HLEN", harness.keys.sold(.init("1")!))
            #expect(sold.integer == booked.count)
        }
    }
}
