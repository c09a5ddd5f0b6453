import BoxOfficeCore
import Testing

/// A seeded generator, so that tests of random tie-breaking repeat.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("BEST: choosing seats for a group")
struct BestSeatsTests {
    static func rows(_ texts: String...) -> [SeatRow] { texts.map { try! SeatRow(parsing: $0) } }
    static func ids(_ text: String) -> [SeatID] { text.split(separator: " ").map { SeatID($0)! } }
    static func all(_ rows: [SeatRow]) -> Set<SeatID> { Set(rows.flatMap(\.seats).map(\.id)) }
    static let anyButWheelchair: Set<SeatKind> = [.standard, .premium]

    @Test("An empty auditorium: the group sits centred, about two thirds back")
    func sweetSpot() {
        let rows = Self.rows("A sssssss", "B sssssss", "C sssssss", "D sssssss")
        var random = SplitMix64(state: 1)
        let choice = BestSeats(rows: rows).choose(2, free: Self.all(rows), kinds: Self.anyButWheelchair, using: &random)
        // Rows A-D: two thirds back is row C (index 2 of 0...3); 7 seats: centred pairs are 3-4 or 4-5.
        #expect(choice?.isSplit == false)
        #expect([Self.ids("C3 C4"), Self.ids("C4 C5")].contains(choice?.seats ?? []))
    }

    @Test("Equally good groups are chosen at random, so kiosks asking at once spread out")
    func randomTies() {
        let rows = Self.rows("A sssssss", "B sssssss", "C sssssss", "D sssssss")
        var random = SplitMix64(state: 7)
        var seen: Set<[SeatID]> = []
        for _ in 0..<40 {
            if let choice = BestSeats(rows: rows).choose(
                2, free: Self.all(rows), kinds: Self.anyButWheelchair, using: &random)
            {
                seen.insert(choice.seats)
            }
        }
        #expect(seen == [Self.ids("C3 C4"), Self.ids("C4 C5")])
    }

    @Test("A group never spans an aisle and never leaves one seat stranded when it can be avoided")
    func aislesAndStranding() {
        // Row B: seats 1-3 left of the aisle, 4-6 right of it; B2 and B6 are taken.
        let rows = Self.rows("A sss_sss", "B sss_sss")
        var free = Self.all(rows)
        free.subtract(Self.ids("A1 A2 A3 A4 A5 A6 B2 B6"))
        var random = SplitMix64(state: 3)
        let choice = BestSeats(rows: rows).choose(2, free: free, kinds: Self.anyButWheelchair, using: &random)
        // B4 B5 is the only adjacent pair; B1 B3 are not adjacent (B2 between), B3 B4 span the aisle.
        #expect(choice == BestSeats.Choice(seats: Self.ids("B4 B5"), isSplit: false))

        // A row of 5 free seats and a party of 3: the middle leaves one seat stranded on each side; an end does not.
        let single = Self.rows("A sssss")
        let three = BestSeats(rows: single).choose(
            3, free: Self.all(single), kinds: Self.anyButWheelchair, using: &random)
        #expect([Self.ids("A1 A2 A3"), Self.ids("A3 A4 A5")].contains(three?.seats ?? []))
        // A party of 4 in 5 seats cannot avoid stranding one: it still sits.
        let four = BestSeats(rows: single).choose(
            4, free: Self.all(single), kinds: Self.anyButWheelchair, using: &random)
        #expect(four?.seats.count == 4 && four?.isSplit == false)
    }

    @Test("Wheelchair spaces and blocked seats are offered only when asked for")
    func kinds() {
        let rows = Self.rows("A ww_ss", "B xx_pp")
        var random = SplitMix64(state: 5)
        let chooser = BestSeats(rows: rows)
        #expect(
            chooser.choose(2, free: Self.all(rows), kinds: [.wheelchair], using: &random)?.seats == Self.ids("A1 A2"))
        let pairs = [Self.ids("A3 A4"), Self.ids("B3 B4")]
        #expect(
            pairs.contains(
                chooser.choose(2, free: Self.all(rows), kinds: Self.anyButWheelchair, using: &random)?.seats ?? []))
        #expect(chooser.choose(5, free: Self.all(rows), kinds: Self.anyButWheelchair, using: &random) == nil)
    }

    @Test("No adjacent group: the seats are split, largest groups first, and flagged")
    func split() {
        let rows = Self.rows("A sss_sss", "B sss_sss")
        var free = Self.all(rows)
        free.subtract(Self.ids("A2 A5 B2 B5"))
        var random = SplitMix64(state: 9)
        let choice = BestSeats(rows: rows).choose(3, free: free, kinds: Self.anyButWheelchair, using: &random)
        #expect(choice?.isSplit == true && choice?.seats.count == 3)
        let chosen = Set(choice?.seats ?? [])
        #expect(chosen.isSubset(of: free))
        #expect(BestSeats(rows: rows).choose(9, free: free, kinds: Self.anyButWheelchair, using: &random) == nil)
    }

    @Test("Free seats from another version of the layout are ignored, never chosen")
    func staleSeats() {
        let rows = Self.rows("A sss")
        var random = SplitMix64(state: 11)
        let stale = Set(Self.ids("Z1 Z2 A2"))
        #expect(
            BestSeats(rows: rows).choose(1, free: stale, kinds: Self.anyButWheelchair, using: &random)?.seats
                == Self.ids("A2"))
        #expect(BestSeats(rows: rows).choose(2, free: stale, kinds: Self.anyButWheelchair, using: &random) == nil)
    }
}
