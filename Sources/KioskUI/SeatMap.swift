import BoxOfficeCore

/// The seat map of one show: the auditorium, what each seat's state is, the customer's local selection (not held
/// yet) and the cursor. A value; every method changes only the map.
public struct SeatMap: Hashable, Sendable {
    /// The show.
    public var showID: String
    /// The auditorium, once `LAYOUT` (or `SEATS`) answered.
    public var auditorium: Auditorium?
    /// Each listed seat's state (blocked seats are not listed) and kind.
    public var states: [SeatID: SeatState] = [:]
    /// Seats the session holds.
    public var mine: Set<SeatID> = []
    /// Seats chosen with space and not held yet.
    public var selection: Set<SeatID> = []
    /// Held seats the customer un-chose with space: released with the next Enter.
    public var unselected: Set<SeatID> = []
    /// The cursor: row index and place index.
    public var cursor: (row: Int, place: Int) = (0, 0)
    /// False until the cursor was put on a seat.
    private var cursorPlaced = false

    /// Creates an empty map of `showID`.
    public init(showID: String) {
        self.showID = showID
    }

    /// True when both maps show the same seats in the same states with the same choices and cursor.
    public static func == (lhs: SeatMap, rhs: SeatMap) -> Bool {
        lhs.showID == rhs.showID && lhs.auditorium == rhs.auditorium && lhs.states == rhs.states
            && lhs.mine == rhs.mine && lhs.selection == rhs.selection && lhs.unselected == rhs.unselected
            && lhs.cursor == rhs.cursor
    }

    /// Hashes the show and the customer's seats (enough to tell maps apart, and consistent with `==`).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(showID)
        hasher.combine(mine)
        hasher.combine(selection)
    }

    // MARK: What is where

    /// The state of seat `id` as drawn: the session's own and chosen seats win over the server's view.
    public func state(of id: SeatID) -> SeatState {
        if mine.contains(id) { return .mine }
        return states[id] ?? .blocked
    }

    /// The seat under the cursor, if it is on a seat.
    public var seatUnderCursor: Seat? { auditorium?.seat(row: cursor.row, place: cursor.place) }

    /// True once both the layout and the seats' states are known: only then may the customer choose seats.
    public var isLoaded: Bool { auditorium != nil && !states.isEmpty }

    /// True when there are chosen seats to hold or held seats to release.
    public var hasPendingChanges: Bool { !selection.isEmpty || !unselected.isEmpty }

    // MARK: Server news

    /// Takes the states of a `SEATS` reply: `SEAT <id> <state> <kind>` lines; `SELECTED` seats are the session's.
    public mutating func apply(seats reply: ServerReply) {
        var states: [SeatID: SeatState] = [:]
        var mine: Set<SeatID> = []
        for line in reply.data {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "SEAT", let id = SeatID(words[1]) else { continue }
            switch words[2] {
            case "AVAILABLE": states[id] = .available
            case "SELECTED":
                states[id] = .held
                mine.insert(id)
            case "PERMANENTLY_UNAVAILABLE": states[id] = .sold
            default: states[id] = .held
            }
        }
        self.states = states
        self.mine = mine
        selection = selection.filter { states[$0] == .available }
        unselected = unselected.intersection(mine)
        placeCursorIfNeeded()
    }

    /// Applies an `EVENT SEATS <show> <id>=<state> ...` line.
    /// - Returns: the chosen seats someone else just took, and the held seats that came free (the box office let
    ///   them go: an operator, or a change of the show's seats).
    @discardableResult
    public mutating func apply(event words: [Substring]) -> (taken: [SeatID], released: [SeatID]) {
        var taken: [SeatID] = []
        var released: [SeatID] = []
        for change in words {
            let parts = change.split(separator: "=")
            guard parts.count == 2, let id = SeatID(parts[0]) else { continue }
            switch parts[1] {
            case "AVAILABLE":
                states[id] = .available
                if mine.remove(id) != nil { released.append(id) }
                unselected.remove(id)
            case "TEMPORARILY_UNAVAILABLE", "SELECTED":
                states[id] = .held
                if selection.remove(id) != nil { taken.append(id) }
            case "PERMANENTLY_UNAVAILABLE":
                states[id] = .sold
                if selection.remove(id) != nil { taken.append(id) }
            default: continue
            }
        }
        return (taken.sorted(), released.sorted())
    }

    /// The session now holds exactly `seats` (an `OK HELD` reply); the pending changes are made.
    public mutating func held(_ seats: [SeatID]) {
        for seat in mine where !seats.contains(seat) { states[seat] = .available }
        mine = Set(seats)
        for seat in seats { states[seat] = .held }
        selection.removeAll()
        unselected.removeAll()
    }

    // MARK: Keys

    /// Moves the cursor by rows and places, skipping gaps and stopping at the edges.
    public mutating func move(rows: Int, places: Int) {
        guard let auditorium, !auditorium.rows.isEmpty else { return }
        if rows != 0 {
            let row = min(max(cursor.row + rows, 0), auditorium.rows.count - 1)
            cursor = (row, nearestSeat(inRow: row, to: cursor.place) ?? cursor.place)
        }
        if places != 0 {
            let count = auditorium.rows[cursor.row].places.count
            var place = cursor.place + places
            while place >= 0, place < count {
                if auditorium.seat(row: cursor.row, place: place) != nil {
                    cursor.place = place
                    return
                }
                place += places > 0 ? 1 : -1
            }
        }
    }

    /// Chooses or un-chooses the seat under the cursor; returns why not, in plain words, when it cannot be chosen.
    public mutating func toggle() -> String? {
        guard let seat = seatUnderCursor else { return "There is no seat here." }
        if mine.contains(seat.id) {
            if unselected.remove(seat.id) == nil { unselected.insert(seat.id) }
            return nil
        }
        if selection.remove(seat.id) != nil { return nil }
        switch state(of: seat.id) {
        case .available:
            selection.insert(seat.id)
            return nil
        case .held, .sold: return "Seat \(seat.id) is taken."
        case .blocked, .mine: return "Seat \(seat.id) cannot be booked."
        }
    }

    /// Moves the cursor to seat `id`; false if the auditorium has no such seat.
    public mutating func jump(to id: SeatID) -> Bool {
        guard let position = auditorium?.position(of: id) else { return false }
        cursor = position
        cursorPlaced = true
        return true
    }

    /// Puts the cursor on a seat if it is not on one: the first available seat near the middle of the middle row.
    public mutating func placeCursorIfNeeded() {
        guard let auditorium, !auditorium.rows.isEmpty, !cursorPlaced || seatUnderCursor == nil else { return }
        cursorPlaced = true
        let row = auditorium.rows.count / 2
        cursor = (row, nearestSeat(inRow: row, to: auditorium.rows[row].places.count / 2) ?? 0)
    }

    private func nearestSeat(inRow row: Int, to place: Int) -> Int? {
        guard let auditorium else { return nil }
        let count = auditorium.rows[row].places.count
        for distance in 0..<max(count, place + 1) {
            for candidate in [place - distance, place + distance]
            where candidate >= 0 && candidate < count && auditorium.seat(row: row, place: candidate) != nil {
                return candidate
            }
        }
        return nil
    }
}
