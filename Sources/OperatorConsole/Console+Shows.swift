import BoxOfficeCore
import RedisClient

/// The shows, one line each: when, where, what, and how their seats stand.
public struct ShowsReport: ConsoleReport {
    /// One show.
    public struct Line: Encodable, Sendable {
        /// The show's id.
        public let id: String
        /// Its start, ISO 8601 UTC.
        public let start: String
        /// Its screen's id and name (the screen's current name).
        public let screen: String
        public let screenName: String
        /// The film's title.
        public let film: String
        /// Seats on sale (blocked seats left out); seats sold (by its bookings, a booked seat that left the layout
        /// included), held right now, and free.
        public let seats: Int
        public let sold: Int
        public let held: Int
        public let free: Int
        /// The ISO 4217 currency, and the price of each seat kind in its minor units.
        public let currency: String
        public let prices: [String: Int]
        /// Whether the show left the programme (off sale, kept for its bookings).
        public let withdrawn: Bool
    }

    /// The time zone the table's start times are written in (`start` itself is always UTC).
    public let timeZone: String
    /// The shows, soonest first.
    public let shows: [Line]

    public var text: String {
        guard !shows.isEmpty else { return "No shows.\n" }
        let clock = LocalTime(identifier: timeZone) ?? .utc
        var table = Table("SHOW", "START (\(clock.name))", "SCREEN", "FILM", "SOLD>", "HELD>", "FREE>", "PRICES")
        for show in shows {
            let prices = SeatKind.allCases.compactMap { kind in
                show.prices[kind.rawValue].map { "\(kind.rawValue) \(MoneyText.number($0, show.currency))" }
            }
            table.add(
                show.id, clock.text(iso: show.start),
                show.screenName.isEmpty ? show.screen : "\(show.screen) \(show.screenName)",
                show.withdrawn ? "\(show.film) (withdrawn)" : show.film, String(show.sold), String(show.held),
                String(show.free), prices.joined(separator: ", ") + (show.currency.isEmpty ? "" : " \(show.currency)"))
        }
        return table.text
    }
}

/// How one show's seats stand at one moment, read in one round trip with the others.
struct ShowSnapshot {
    let id: ShowID
    /// The show hash, its `screen_name` replaced by the screen's current name.
    let fields: [String: String]
    /// Every seat, seat id to kind, blocked ones included.
    let kinds: [String: String]
    /// Sold seats, seat id to booking id: every seat of a booking, also one that left the layout since.
    let sold: [String: String]
    /// Seats held right now (index entries not past their deadline), seat id to session id.
    let held: [String: String]

    var forSale: [String] { kinds.filter { $0.value != SeatKind.blocked.rawValue }.map(\.key) }
    var soldCount: Int { sold.count }
    var heldCount: Int { forSale.filter { sold[$0] == nil && held[$0] != nil }.count }
    var freeCount: Int { forSale.filter { sold[$0] == nil && held[$0] == nil }.count }
    var isWithdrawn: Bool { fields["withdrawn"] != nil }
    var start: Timestamp? { fields["start_epoch"].flatMap { Int($0) }.map { Timestamp(secondsSinceEpoch: $0) } }
}

extension Console {
    /// The shows on sale that have not started, soonest first; with `day`, those starting on that day of the
    /// theatre's clock (started or not); with `all`, withdrawn ones too, and without `day` past ones too.
    public func shows(on day: CalendarDay? = nil, all: Bool = false) async throws(ConsoleError) -> ShowsReport {
        let clock = try await localTime()
        let ids: [ShowID]
        if let day {
            let start = clock.start(of: day).secondsSinceEpoch
            ids = try await showIDs(from: start, to: clock.start(of: day.next).secondsSinceEpoch - 1)
        } else if all {
            ids = try await allShows()
        } else {
            ids = try await upcomingShowIDs()
        }
        let snapshots = try await snapshots(of: ids).filter { all || !$0.isWithdrawn }
        return ShowsReport(
            timeZone: clock.name,
            shows: snapshots.map { show in
                var prices: [String: Int] = [:]
                for (field, value) in show.fields where field.hasPrefix("price:") {
                    prices[String(field.dropFirst("price:".count))] = Int(value)
                }
                return ShowsReport.Line(
                    id: show.id.rawValue, start: show.fields["start"] ?? show.start?.description ?? "",
                    screen: show.fields["screen"] ?? "", screenName: show.fields["screen_name"] ?? "",
                    film: show.fields["title"] ?? "", seats: show.forSale.count, sold: show.soldCount,
                    held: show.heldCount, free: show.freeCount, currency: show.fields["currency"] ?? "",
                    prices: prices, withdrawn: show.isWithdrawn)
            })
    }

    /// Shows not started yet, soonest first.
    func upcomingShowIDs() async throws(ConsoleError) -> [ShowID] {
        let now = try await nowMilliseconds() / 1000
        return try await showIDs(from: now + 1, to: nil)
    }

    /// Shows starting between two Unix times (inclusive; nil for no end), soonest first.
    func showIDs(from start: Int, to end: Int?) async throws(ConsoleError) -> [ShowID] {
        let reply = try await send(
            RedisCommand("ZRANGE", keys.shows, String(start), end.map(String.init) ?? "+inf", "BYSCORE"))
        return (reply.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
    }

    /// Reads the shows' hashes, seats, sold seats and live holds in one pipeline; unknown shows are left out.
    func snapshots(of ids: [ShowID]) async throws(ConsoleError) -> [ShowSnapshot] {
        guard !ids.isEmpty else { return [] }
        var commands = [RedisCommand("TIME")]
        for id in ids {
            commands += [
                RedisCommand("HGETALL", keys.show(id)), RedisCommand("HGETALL", keys.seats(id)),
                RedisCommand("HGETALL", keys.sold(id)), RedisCommand("HGETALL", keys.holdIndex(id)),
            ]
        }
        let replies = try await send(commands)
        guard let now = replies[0].milliseconds else { throw .redis("TIME answered \(replies[0])") }
        let screens = Array(Set(ids.indices.compactMap { replies[1 + $0 * 4].fields["screen"] })).sorted()
        let names = screens.isEmpty ? [] : try await send(screens.map { RedisCommand("HGET", keys.screen($0), "name") })
        let screenNames = Dictionary(uniqueKeysWithValues: zip(screens, names.map(\.string)))
        return ids.enumerated().compactMap { index, id in
            let base = 1 + index * 4
            var fields = replies[base].fields
            guard !fields.isEmpty else { return nil }
            if let screen = fields["screen"], let name = screenNames[screen] ?? nil { fields["screen_name"] = name }
            var held: [String: String] = [:]
            for (seat, entry) in replies[base + 3].fields where !seat.hasPrefix("#") {  // `#changes` is no seat
                let parts = entry.split(separator: " ")
                if parts.count == 2, let deadline = Int(parts[1]), deadline >= now { held[seat] = String(parts[0]) }
            }
            return ShowSnapshot(
                id: id, fields: fields, kinds: replies[base + 1].fields, sold: replies[base + 2].fields,
                held: held)
        }
    }
}

/// A calendar day, written `YYYY-MM-DD`.
public struct CalendarDay: Sendable, Equatable {
    /// The day's first second in UTC.
    public let start: Timestamp

    private init(start: Timestamp) {
        self.start = start
    }

    /// The day after.
    var next: CalendarDay { CalendarDay(start: start.adding(seconds: 86_400)) }

    /// Parses `YYYY-MM-DD`; nil when it is not a real date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month),
            (1...31).contains(day)
        else { return nil }
        // Howard Hinnant's days-from-civil.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let start = Timestamp(secondsSinceEpoch: days * 86_400)
        guard start.components.day == day, start.components.month == month else { return nil }
        self.start = start
    }
}
