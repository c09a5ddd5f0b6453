import BoxOfficeCore
import RedisClient

/// What the confirmed bookings took, by film and by the day of the show on the theatre's clock; cancelled bookings
/// are left out.
public struct TakingsReport: ConsoleReport {
    /// The takings of one film, or of one day, in one currency.
    public struct Line: Encodable, Sendable, Equatable {
        /// The film's title, or the day (`YYYY-MM-DD`).
        public let key: String
        /// Confirmed bookings, and their seats.
        public let bookings: Int
        public let seats: Int
        /// What they were paid, in minor units of `currency`.
        public let amount: Int
        public let currency: String
    }

    /// The time zone whose days `byDay` counts.
    public let timeZone: String
    /// Per film, by title.
    public let byFilm: [Line]
    /// Per day of the show, soonest first.
    public let byDay: [Line]

    public var text: String {
        guard !byFilm.isEmpty else { return "No takings.\n" }
        func table(_ heading: String, _ lines: [Line]) -> String {
            var table = Table(heading, "BOOKINGS>", "SEATS>", "TAKINGS>")
            for line in lines {
                table.add(
                    line.key, String(line.bookings), String(line.seats), MoneyText.amount(line.amount, line.currency))
            }
            return table.text
        }
        return table("FILM", byFilm) + "\n" + table("DAY (\(LocalTime(identifier: timeZone)?.name ?? "UTC"))", byDay)
    }

    /// The report as CSV (RFC 4180) for a spreadsheet: a header, then one row per film and per day, amounts in
    /// major units (`24.00`).
    public var csv: String {
        var rows = ["by,key,bookings,seats,takings,currency"]
        for (section, lines) in [("film", byFilm), ("day", byDay)] {
            for line in lines {
                rows.append(
                    [
                        section, line.key, String(line.bookings), String(line.seats),
                        MoneyText.number(line.amount, line.currency), line.currency,
                    ].map(Self.csvField).joined(separator: ","))
            }
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled); control characters
    /// become `?` as on the terminal.
    public static func csvField(_ text: String) -> String {
        let clean = printable(text)
        guard clean.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return clean }
        return "\"" + clean.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Console {
    /// Sums the confirmed bookings per film and per day of the show (on the theatre's clock, or UTC).
    public func takings() async throws(ConsoleError) -> TakingsReport {
        let clock = try await localTime()
        let confirmed = try await bookings().bookings.filter { $0.state == "CONFIRMED" }
        let shows = Array(Set(confirmed.map(\.show))).sorted().compactMap { ShowID($0) }
        let titles = shows.isEmpty ? [] : try await send(shows.map { RedisCommand("HGET", keys.show($0), "title") })
        let titleOf = Dictionary(uniqueKeysWithValues: zip(shows.map(\.rawValue), titles.map(\.string)))
        var byFilm: [String: [BookingsReport.Line]] = [:]
        var byDay: [String: [BookingsReport.Line]] = [:]
        for booking in confirmed {
            byFilm[(titleOf[booking.show] ?? nil) ?? "show \(booking.show)", default: []].append(booking)
            let day = Timestamp(iso: booking.start).map { clock.day($0) } ?? "unknown"
            byDay[day, default: []].append(booking)
        }
        func lines(_ groups: [String: [BookingsReport.Line]]) -> [TakingsReport.Line] {
            groups.keys.sorted().flatMap { key in
                let group = groups[key] ?? []
                return Set(group.map(\.currency)).sorted().map { currency in
                    let paid = group.filter { $0.currency == currency }
                    return TakingsReport.Line(
                        key: key, bookings: paid.count, seats: paid.map(\.seats.count).reduce(0, +),
                        amount: paid.map(\.amount).reduce(0, +), currency: currency)
                }
            }
        }
        return TakingsReport(timeZone: clock.name, byFilm: lines(byFilm), byDay: lines(byDay))
    }
}
