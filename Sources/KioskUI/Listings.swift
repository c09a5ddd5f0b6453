import BoxOfficeCore
import Foundation

/// One show of the `SHOWS` list.
public struct ShowListing: Hashable, Sendable {
    /// The show's id.
    public var id: String
    /// The screen it runs on.
    public var screenID: String
    /// When it starts.
    public var start: Date
    /// Minutes the screen is busy.
    public var durationMinutes: Int
    /// The film's title.
    public var title: String

    /// Creates a listing.
    public init(id: String, screenID: String, start: Date, durationMinutes: Int, title: String) {
        self.id = id
        self.screenID = screenID
        self.start = start
        self.durationMinutes = durationMinutes
        self.title = title
    }

    /// Reads `SHOW <show-id> <screen-id> <start> <duration-minutes> <title...>`; nil if malformed.
    public init?(line: String) {
        let words = line.split(separator: " ", maxSplits: 5)
        guard words.count == 6, words[0] == "SHOW", let start = parseInstant(words[3]), let minutes = Int(words[4])
        else { return nil }
        self.init(
            id: String(words[1]), screenID: String(words[2]), start: start, durationMinutes: minutes,
            title: String(words[5]))
    }
}

/// A show's prices: minor units per seat kind, and the currency.
public struct PriceTable: Hashable, Sendable {
    /// Minor units per kind on sale.
    public var prices: [SeatKind: Int]
    /// The ISO 4217 code.
    public var currency: String

    /// Creates a table.
    public init(prices: [SeatKind: Int], currency: String) {
        self.prices = prices
        self.currency = currency
    }

    /// Reads a `PRICES` reply: `PRICE <kind> <minor-units>` lines, then `OK <currency>`.
    public init?(reply: ServerReply) {
        guard reply.isOK, let currency = reply.words.first else { return nil }
        var prices: [SeatKind: Int] = [:]
        for line in reply.data {
            let words = line.split(separator: " ")
            if words.count == 3, words[0] == "PRICE", let kind = SeatKind(rawValue: String(words[1])),
                let amount = Int(words[2])
            {
                prices[kind] = amount
            }
        }
        self.init(prices: prices, currency: currency)
    }

    /// The prices for people: `12.00 EUR, premium 16.00 EUR`; a kind priced like standard seats is not repeated.
    public var summary: String {
        let standard = prices[.standard]
        return SeatKind.allCases.compactMap { kind in
            guard let price = prices[kind], kind == .standard || price != standard else { return nil }
            return (kind == .standard ? "" : "\(kind.rawValue) ") + Money.format(price, currency)
        }.joined(separator: ", ")
    }
}

/// What the session's seats cost: `QUOTE`'s items and total.
public struct Quote: Hashable, Sendable {
    /// One kind of seat: how many, at what unit price, and their subtotal.
    public struct Item: Hashable, Sendable {
        public var kind: String
        public var count: Int
        public var unit: Int
        public var subtotal: Int
    }

    /// The items, one per kind.
    public var items: [Item]
    /// The total in minor units.
    public var total: Int
    /// The ISO 4217 code.
    public var currency: String

    /// Reads `ITEM <kind> <count> <unit> <subtotal>` lines and `OK <total> <currency>`.
    public init?(reply: ServerReply) {
        let words = reply.words
        guard reply.isOK, words.count == 2, let total = Int(words[0]) else { return nil }
        items = reply.data.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 5, parts[0] == "ITEM", let count = Int(parts[2]), let unit = Int(parts[3]),
                let subtotal = Int(parts[4])
            else { return nil }
            return Item(kind: String(parts[1]), count: count, unit: unit, subtotal: subtotal)
        }
        self.total = total
        currency = words[1]
    }
}

/// A confirmed booking, from `BOOKINGS` or `OK BOOKED`.
public struct Booking: Hashable, Sendable {
    public var id: String
    public var showID: String
    public var start: Date?
    public var amount: Int?
    public var currency: String?
    public var seats: [String]

    /// Reads `BOOKING <booking-id> <show-id> <start> <amount> <currency> <seat-id>...`.
    public init?(line: String) {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 7, words[0] == "BOOKING" else { return nil }
        id = words[1]
        showID = words[2]
        start = parseInstant(Substring(words[3]))
        amount = Int(words[4])
        currency = words[5]
        seats = Array(words[6...])
    }

    /// Creates a booking from `OK BOOKED <booking-id> <show-id> <seat-id> ...`.
    public init(id: String, showID: String, seats: [String]) {
        self.id = id
        self.showID = showID
        self.seats = seats
    }
}

/// Parses `2026-11-28T09:15:00Z`.
func parseInstant(_ text: Substring) -> Date? {
    let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
    guard text.hasSuffix("Z"), parts.count == 6 else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(
        from: DateComponents(
            year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5]))
}
