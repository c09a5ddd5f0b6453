import BoxOfficeCore

/// A show's seat map, drawn as the auditorium: the screen at the top, front row first, aisles as gaps.
public struct SeatMapReport: ConsoleReport {
    /// What a seat is now, as the map draws it, with the kiosk's symbols.
    public typealias Mark = SeatMark

    /// One seat of the map.
    public struct Place: Encodable, Sendable {
        /// The seat's id, such as `C12`.
        public let seat: String
        /// Its kind: standard, premium, wheelchair or blocked.
        public let kind: String
        /// What it is now.
        public let mark: Mark
        /// The session holding it, or the booking it is sold to.
        public let session: String?
        public let booking: String?
    }

    /// One row, left to right; nil stands for an aisle or gap.
    public struct Row: Encodable, Sendable {
        public let row: String
        public let places: [Place?]
    }

    public let show: String
    public let film: String
    /// The show's start, ISO 8601 UTC.
    public let start: String
    /// The time zone the heading's start is written in.
    public let timeZone: String
    public let screen: String
    /// The rows, front (nearest the screen) first.
    public let rows: [Row]
    /// How many seats carry each mark.
    public let counts: [String: Int]

    public var text: String {
        let width = rows.map(\.places.count).max() ?? 0
        let label = rows.map(\.row.count).max() ?? 1
        func pad(_ row: String) -> String { row + String(repeating: " ", count: label - row.count) }
        let body = max(width * 2 - 1, 6)
        let clock = LocalTime(identifier: timeZone) ?? .utc
        var lines = [
            "Show \(show): \(printable(film)), \(clock.text(iso: start)) \(clock.name), screen \(printable(screen))",
            "",
        ]
        let indent = String(repeating: " ", count: label + 2)
        lines.append(indent + String(repeating: " ", count: (body - 6) / 2) + "SCREEN")
        lines.append(indent + String(repeating: "-", count: body))
        lines.append("")
        for row in rows {
            var cells = row.places.map { place in place.map { String($0.mark.symbol) } ?? " " }
            cells += Array(repeating: " ", count: width - cells.count)
            let seats = cells.joined(separator: " ")
            lines.append(pad(row.row) + "  " + seats + "  " + row.row)
        }
        lines.append("")
        lines += Mark.allCases.map { mark in
            "  \(mark.symbol)  \(mark.legend)" + (counts[mark.rawValue].map { " (\($0))" } ?? " (0)")
        }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) + "\n" }.joined()
    }
}

extension Console {
    /// The seat map of `show`: every place of its layout with what it is now.
    public func seatMap(of show: ShowID) async throws(ConsoleError) -> SeatMapReport {
        guard let snapshot = try await snapshots(of: [show]).first else { throw .notFound("show \(show)") }
        let clock = try await localTime()
        let layout = SeatRow.rows(inLayout: snapshot.fields["layout"] ?? "")
        var counts: [String: Int] = [:]
        let rows = layout.map { row in
            var number = 0
            let places: [SeatMapReport.Place?] = row.places.map { place in
                guard case .seat(let layoutKind) = place else { return nil }
                number += 1
                let id = SeatID(row: row.name, number: number).map(\.description) ?? "\(row.name)\(number)"
                let kind = snapshot.kinds[id].flatMap { SeatKind(rawValue: $0) } ?? layoutKind
                let mark: SeatMapReport.Mark =
                    if let _ = snapshot.sold[id] {
                        .sold
                    } else if kind == .blocked {
                        .blocked
                    } else if snapshot.held[id] != nil {
                        .held
                    } else {
                        SeatMark(free: kind)
                    }
                counts[mark.rawValue, default: 0] += 1
                return SeatMapReport.Place(
                    seat: id, kind: kind.rawValue, mark: mark, session: mark == .held ? snapshot.held[id] : nil,
                    booking: snapshot.sold[id])
            }
            return SeatMapReport.Row(row: row.name, places: places)
        }
        return SeatMapReport(
            show: show.rawValue, film: snapshot.fields["title"] ?? "",
            start: snapshot.fields["start"] ?? snapshot.start?.description ?? "", timeZone: clock.name,
            screen: snapshot.fields["screen_name"] ?? snapshot.fields["screen"] ?? "", rows: rows, counts: counts)
    }
}
