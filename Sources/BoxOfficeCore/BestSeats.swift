/// Chooses the best free seats for a group: side by side in one row, leaving no single seat stranded when that
/// can be avoided, as close as possible to the auditorium's sweet spot (about two thirds of the way back,
/// centred). The choice is only a proposal: the caller holds it atomically and chooses again if it lost a race.
public struct BestSeats: Sendable {
    /// The seats chosen, front to back, left to right, and whether they had to be split over several groups.
    public struct Choice: Sendable, Equatable {
        /// The seats.
        public let seats: [SeatID]
        /// True when no adjacent group of that size was free and the seats form several groups.
        public let isSplit: Bool

        /// Creates a choice.
        public init(seats: [SeatID], isSplit: Bool) {
            self.seats = seats
            self.isSplit = isSplit
        }
    }

    /// The auditorium, front row first.
    public let rows: [SeatRow]

    /// Creates a chooser over `rows`.
    public init(rows: [SeatRow]) { self.rows = rows }

    /// A stranded single seat costs more than any distance from the sweet spot.
    static let strandedPenalty = 10.0
    /// Scores closer than this are ties, broken at random.
    static let tolerance = 1e-9

    /// The best `count` seats among `free` of the kinds in `kinds`; nil when fewer than `count` are free.
    public func choose(
        _ count: Int, free: Set<SeatID>, kinds: Set<SeatKind>, using random: inout some RandomNumberGenerator
    ) -> Choice? {
        guard count > 0 else { return nil }
        // Only seats of these rows count: `free` may come from a reading of another version of the layout.
        var available = free.intersection(rows.flatMap(\.seats).filter { kinds.contains($0.kind) }.map(\.id))
        guard available.count >= count else { return nil }
        if let group = bestGroup(of: count, free: available, using: &random) {
            return Choice(seats: group, isSplit: false)
        }
        // No adjacent group: the largest groups first, each the best of its size, until the party is seated.
        var chosen: [SeatID] = []
        var size = count - 1
        while chosen.count < count {
            size = min(size, count - chosen.count)
            guard size > 0 else { return nil }
            if let group = bestGroup(of: size, free: available, using: &random) {
                chosen += group
                available.subtract(group)
            } else {
                size -= 1
            }
        }
        return Choice(seats: chosen.sorted(), isSplit: true)
    }

    /// The best adjacent group of `size` free seats, or nil when there is none.
    private func bestGroup(of size: Int, free: Set<SeatID>, using random: inout some RandomNumberGenerator)
        -> [SeatID]?
    {
        let sweetRow = Double(rows.count - 1) * 2 / 3
        var best: (score: Double, group: [SeatID])?
        var ties = 0
        for (rowIndex, row) in rows.enumerated() {
            let rowCentre = Double(row.places.count - 1) / 2
            for segment in segments(of: row) {
                // Positions along `segment` of its free seats, as runs of consecutive free seats.
                let isFree = segment.map { free.contains($0.id) }
                guard segment.count >= size else { continue }
                for first in 0...(segment.count - size) where isFree[first..<(first + size)].allSatisfy({ $0 }) {
                    let left = freeRun(isFree, from: first - 1, step: -1)
                    let right = freeRun(isFree, from: first + size, step: 1)
                    let stranded = (left == 1 ? 1 : 0) + (right == 1 ? 1 : 0)
                    let centre = Double(segment[first].place + segment[first + size - 1].place) / 2
                    let score =
                        2 * abs(Double(rowIndex) - sweetRow) / Double(max(rows.count - 1, 1))
                        + abs(centre - rowCentre) / Double(max(row.places.count - 1, 1))
                        + Double(stranded) * Self.strandedPenalty
                    let group = segment[first..<(first + size)].map(\.id)
                    if let current = best, score > current.score + Self.tolerance { continue }
                    if let current = best, abs(score - current.score) <= Self.tolerance {
                        // Reservoir sampling: each of the tied groups is kept with equal chance.
                        ties += 1
                        if Int.random(in: 0...ties, using: &random) == 0 { best = (score, group) }
                    } else {
                        best = (score, group)
                        ties = 0
                    }
                }
            }
        }
        return best?.group
    }

    /// The row's runs of seats between gaps (and the walls), each seat with its place along the row.
    private func segments(of row: SeatRow) -> [[(id: SeatID, place: Int)]] {
        var segments: [[(id: SeatID, place: Int)]] = [[]]
        var number = 0
        for (place, kind) in row.places.enumerated() {
            guard case .seat = kind else {
                segments.append([])
                continue
            }
            number += 1
            if let id = SeatID(row: row.name, number: number) { segments[segments.count - 1].append((id, place)) }
        }
        return segments.filter { !$0.isEmpty }
    }

    /// How many free seats follow each other from `start` in direction `step`.
    private func freeRun(_ isFree: [Bool], from start: Int, step: Int) -> Int {
        var count = 0
        var index = start
        while isFree.indices.contains(index), isFree[index] {
            count += 1
            index += step
        }
        return count
    }
}
