import BoxOfficeCore

/// A show's auditorium as the kiosk draws it: the screen's name and its rows of seats and gaps, front row first.
public struct Auditorium: Hashable, Sendable {
    /// The screen's id.
    public var screenID: String
    /// The screen's name, for people.
    public var screenName: String
    /// The rows, front (nearest the screen) first.
    public var rows: [SeatRow]

    /// Creates an auditorium.
    public init(screenID: String, screenName: String, rows: [SeatRow]) {
        self.screenID = screenID
        self.screenName = screenName
        self.rows = rows
    }

    /// Reads a `LAYOUT` reply: `SCREEN <id> <name...>` and `ROW <letters> <places>` lines; nil if malformed.
    public init?(layout reply: ServerReply) {
        guard reply.isOK else { return nil }
        var screenID = ""
        var screenName = ""
        var rows: [SeatRow] = []
        for line in reply.data {
            let words = line.split(separator: " ", maxSplits: 2)
            if words.first == "SCREEN", words.count >= 2 {
                screenID = String(words[1])
                screenName = words.count == 3 ? String(words[2]) : ""
            } else if words.first == "ROW", words.count == 3, let row = try? SeatRow(parsing: "\(words[1]) \(words[2])")
            {
                rows.append(row)
            }
        }
        guard !rows.isEmpty else { return nil }
        self.init(screenID: screenID, screenName: screenName, rows: rows)
    }

    /// Builds a plain auditorium, with no aisles, from a `SEATS` reply, for daemons that do not know `LAYOUT` yet.
    public init?(seats reply: ServerReply, screenID: String) {
        var byRow: [String: [(Int, SeatKind)]] = [:]
        for line in reply.data {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "SEAT", let id = SeatID(words[1]) else { continue }
            let kind = words.count >= 4 ? SeatKind(rawValue: String(words[3])) ?? .standard : .standard
            byRow[id.row, default: []].append((id.number, kind))
        }
        guard !byRow.isEmpty else { return nil }
        let names = byRow.keys.sorted { (SeatID(row: $0, number: 1)!) < (SeatID(row: $1, number: 1)!) }
        let rows = names.map { name in
            let seats = byRow[name]!
            let count = seats.map(\.0).max() ?? 0
            var places = [SeatRow.Place](repeating: .seat(.blocked), count: count)
            for (number, kind) in seats { places[number - 1] = .seat(kind) }
            return SeatRow(name: name, places: places)
        }
        self.init(screenID: screenID, screenName: "", rows: rows)
    }

    /// The seat at `place` of row `row`, with its kind; nil for a gap or out of range.
    public func seat(row: Int, place: Int) -> Seat? {
        guard rows.indices.contains(row) else { return nil }
        var number = 0
        for (index, item) in rows[row].places.enumerated() {
            guard case .seat(let kind) = item else { continue }
            number += 1
            if index == place { return SeatID(row: rows[row].name, number: number).map { Seat(id: $0, kind: kind) } }
        }
        return nil
    }

    /// Where seat `id` is: its row index and place index; nil if the auditorium has no such seat.
    public func position(of id: SeatID) -> (row: Int, place: Int)? {
        guard let row = rows.firstIndex(where: { $0.name == id.row }) else { return nil }
        var number = 0
        for (index, item) in rows[row].places.enumerated() {
            guard case .seat = item else { continue }
            number += 1
            if number == id.number { return (row, index) }
        }
        return nil
    }

    /// The widest row's number of places.
    public var width: Int { rows.map(\.places.count).max() ?? 0 }
}
