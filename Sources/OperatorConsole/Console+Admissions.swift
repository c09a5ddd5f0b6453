import BoxOfficeCore
import RedisClient

/// Who came: per show, the confirmed bookings and how many of them a door admitted; once the show is over, the
/// bookings nobody came for (no-shows). Cancelled bookings are left out.
public struct AdmissionsReport: ConsoleReport {
    /// One show.
    public struct Line: Encodable, Sendable, Equatable {
        public let show: String
        /// The show's start, ISO 8601 UTC.
        public let start: String
        public let screen: String
        public let film: String
        /// Confirmed bookings, and their seats.
        public let booked: Int
        public let bookedSeats: Int
        /// Bookings a door admitted, and their seats.
        public let admitted: Int
        public let admittedSeats: Int
        /// Bookings never admitted, once the show is over (its end has passed); nil before.
        public let noShows: Int?
    }

    /// The time zone the table's start times are written in (`start` itself is always UTC).
    public let timeZone: String
    /// The shows, soonest first.
    public let shows: [Line]

    public var text: String {
        guard !shows.isEmpty else { return "No shows.\n" }
        let clock = LocalTime(identifier: timeZone) ?? .utc
        var table = Table(
            "SHOW", "START (\(clock.name))", "SCREEN", "FILM", "BOOKED>", "SEATS>", "ADMITTED>", "SEATS>", "NO-SHOWS>")
        for line in shows {
            table.add(
                line.show, clock.text(iso: line.start), line.screen, line.film, String(line.booked),
                String(line.bookedSeats), String(line.admitted), String(line.admittedSeats),
                line.noShows.map(String.init) ?? "-")
        }
        return table.text
    }
}

extension Console {
    /// Admissions of `show`, or of every show loaded (withdrawn ones only when they have bookings), soonest first.
    public func admissions(show: ShowID? = nil) async throws(ConsoleError) -> AdmissionsReport {
        let ids: [ShowID]
        if let show { ids = [show] } else { ids = try await allShows() }
        let now = try await nowMilliseconds() / 1000
        var lines: [AdmissionsReport.Line] = []
        for id in ids {
            guard let fields = try await hashes([keys.show(id)]).first,
                let startEpoch = fields["start_epoch"].flatMap({ Int($0) })
            else { continue }
            let bookings = try await hashes(try await scan(keys.bookingPattern(show: id)))
                .filter { $0["id"] != nil && $0["state"] != "CANCELLED" }
            if fields["withdrawn"] != nil, bookings.isEmpty, show == nil { continue }
            let seats = { (booking: [String: String]) in (booking["seats"] ?? "").split(separator: " ").count }
            let admitted = bookings.filter { $0["admitted"] != nil }
            let end = startEpoch + (fields["duration_minutes"].flatMap { Int($0) } ?? 0) * 60
            lines.append(
                AdmissionsReport.Line(
                    show: id.rawValue, start: Timestamp(secondsSinceEpoch: startEpoch).description,
                    screen: fields["screen"] ?? "", film: fields["title"] ?? "", booked: bookings.count,
                    bookedSeats: bookings.map(seats).reduce(0, +), admitted: admitted.count,
                    admittedSeats: admitted.map(seats).reduce(0, +),
                    noShows: now > end ? bookings.count - admitted.count : nil))
        }
        return AdmissionsReport(
            timeZone: try await localTime().name, shows: lines.sorted { ($0.start, $0.show) < ($1.start, $1.show) })
    }
}
