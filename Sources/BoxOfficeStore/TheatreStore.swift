import BoxOfficeCore
import RedisClient

/// The theatre's programme in Redis: screens, movies and shows, written once and read by every kiosk.
public final class TheatreStore: Sendable {
    let redis: RedisClient
    let keys: StoreKeys

    /// Creates a store over `redis` with the key schema `keys`.
    public init(redis: RedisClient, keys: StoreKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// Redis's clock in milliseconds.
    public func nowMilliseconds() async throws(StoreError) -> Int {
        let reply = try await redis.run(RedisCommand("TIME"))
        guard let milliseconds = reply.milliseconds else { throw .unexpectedReply("TIME: \(reply)") }
        return milliseconds
    }

    /// Redis's clock, the one every seat rule runs on.
    public func now() async throws(StoreError) -> Timestamp {
        let reply = try await redis.run(RedisCommand("TIME"))
        guard let seconds = reply.array?.first?.integer else { throw .unexpectedReply("TIME: \(reply)") }
        return Timestamp(secondsSinceEpoch: seconds)
    }

    /// The IANA name of the time zone the theatre's clocks show (`time_zone` of the theatre hash, written by every
    /// programme load); nil when the programme was loaded before the zone was stored.
    public func timeZone() async throws(StoreError) -> String? {
        try await redis.run(RedisCommand("HGET", keys.theatre, "time_zone")).string
    }

    /// Loads the programme `make` builds when no show is on sale (none loaded yet, or every one started): the demo,
    /// fresh on a new Redis and again once its week is over. `make` gets Redis's time and the first show number not
    /// used yet. Its shows are marked as the demo's (``LoadOptions/demo``), so the theatre's own first load withdraws
    /// them even when customers tried them out (but does not take over one with bookings or holds under the same id).
    /// Two daemons starting at once may both load; the second load then changes nothing.
    /// - Returns: true when this call loaded it.
    public func loadWhenNothingOnSale(_ make: (_ now: Timestamp, _ firstShowNumber: Int) -> Theatre)
        async throws(StoreError) -> Bool
    {
        let now = try await now()
        guard try await upcomingShows(after: now).isEmpty else { return false }
        let used = try await allShowIDs().compactMap { Int($0.rawValue) }.max() ?? 0
        _ = try await load(make(now, used + 1), options: LoadOptions(demo: true))
        return true
    }

    /// Adds one show on `screen` unless a show with its id exists.
    /// - Returns: false when the id is taken; nothing is written then.
    public func add(_ show: Show, on screen: Screen) async throws(StoreError) -> Bool {
        let claim = try await redis.run(RedisCommand("HSETNX", keys.show(show.id), "definition", ""))
        guard claim.integer == 1 else { return false }
        return try await load(show, on: screen, movie: nil, options: LoadOptions()) == .added
    }

    /// Shows on sale: they start after `now` and have not been withdrawn; soonest first.
    public func upcomingShows(after now: Timestamp) async throws(StoreError) -> [Show] {
        let ids = try await redis.run(
            RedisCommand("ZRANGE", keys.shows, "(\(now.secondsSinceEpoch)", "+inf", "BYSCORE"))
        let showIDs = (ids.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
        return try await records(showIDs).filter { !$0.withdrawn }.map(\.show)
    }

    /// The shows with these ids, withdrawn ones included, in the same order; unknown ids are left out.
    public func shows(_ ids: [ShowID]) async throws(StoreError) -> [Show] {
        try await records(ids).map(\.show)
    }

    /// The shows with these ids and whether each was withdrawn from sale; unknown ids are left out.
    private func records(_ ids: [ShowID]) async throws(StoreError) -> [(show: Show, withdrawn: Bool)] {
        guard !ids.isEmpty else { return [] }
        let replies = try await redis.pipeline(ids.map { RedisCommand("HGETALL", keys.show($0)) })
        return zip(ids, replies).compactMap { id, reply in
            let fields = reply.fields
            var prices: [SeatKind: Int] = [:]
            for kind in SeatKind.allCases {
                if let price = fields["price:\(kind.rawValue)"].flatMap({ Int($0) }) { prices[kind] = price }
            }
            guard let screen = fields["screen"], let movie = fields["movie"], let title = fields["title"],
                let start = fields["start_epoch"].flatMap({ Int($0) }),
                let duration = fields["duration_minutes"].flatMap({ Int($0) }),
                let priceList = PriceList(currency: fields["currency"] ?? "", minorUnits: prices)
            else { return nil }
            let show = Show(
                id: id, screenID: screen, movieID: movie, title: title, start: Timestamp(secondsSinceEpoch: start),
                durationMinutes: duration, prices: priceList)
            return (show, fields["withdrawn"] != nil)
        }
    }

    /// The ticket types a show sells for its film (those whose ratings exclude the film's are left out), the
    /// default first, and the VAT rate it states in basis points; nil when the show is unknown. No types when its
    /// programme named none: it sells every seat as ``TicketType/defaultID`` at its kind's price.
    public func ticketTypes(of show: ShowID) async throws(StoreError) -> (types: [TicketType], vatBasisPoints: Int?)? {
        let fields = try await redis.run(RedisCommand("HGETALL", keys.show(show))).fields
        var prices: [SeatKind: Int] = [:]
        for kind in SeatKind.allCases {
            if let price = fields["price:\(kind.rawValue)"].flatMap({ Int($0) }) { prices[kind] = price }
        }
        guard fields["start_epoch"] != nil,
            let priceList = PriceList(currency: fields["currency"] ?? "", minorUnits: prices)
        else { return nil }
        let types = ShowTicketFields.ticketTypes(in: fields, defaultPrices: priceList)
        let rating = fields["rating"].flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        return (types.filter { $0.allows(rating: rating) }, fields["vat_bp"].flatMap { Int($0) })
    }

    /// The auditorium a show plays in, as loaded: its screen and rows; nil when the show is unknown.
    public func layout(of show: ShowID) async throws(StoreError) -> ShowLayout? {
        let reply = try await redis.run(
            RedisCommand("HMGET", keys.show(show), "screen", "screen_name", "layout", "layout_version"))
        guard let fields = reply.array?.map(\.string), fields.count == 4, let screen = fields[0], let name = fields[1],
            let layout = fields[2]
        else { return nil }
        let rows = SeatRow.rows(inLayout: layout)
        return ShowLayout(screenID: screen, screenName: name, rows: rows, version: fields[3] ?? "")
    }

    /// Every show id, withdrawn and past ones included.
    public func allShowIDs() async throws(StoreError) -> [ShowID] {
        try await showIDs(startingAfter: nil)
    }

    /// The ids of the shows, withdrawn ones included, that start after `time` (all of them for nil).
    public func showIDs(startingAfter time: Timestamp?) async throws(StoreError) -> [ShowID] {
        let reply = try await redis.run(
            RedisCommand("ZRANGE", keys.shows, time.map { "(\($0.secondsSinceEpoch)" } ?? "-inf", "+inf", "BYSCORE"))
        return (reply.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
    }
}
