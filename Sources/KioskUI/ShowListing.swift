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
    /// Seats neither sold nor held when `SHOWS` answered, out of ``seatsOnSale``; nil when the box office did not say
    /// (a daemon older than `FREE` lines).
    public var seatsFree: Int?
    /// Seats on sale, blocked ones left out.
    public var seatsOnSale: Int?

    /// Creates a listing.
    public init(
        id: String, screenID: String, start: Date, durationMinutes: Int, title: String, seatsFree: Int? = nil,
        seatsOnSale: Int? = nil
    ) {
        self.id = id
        self.screenID = screenID
        self.start = start
        self.durationMinutes = durationMinutes
        self.title = title
        self.seatsFree = seatsFree
        self.seatsOnSale = seatsOnSale
    }

    /// Reads `SHOW <show-id> <screen-id> <start> <duration-minutes> <title...>`; nil if malformed.
    public init?(line: String) {
        let words = line.split(separator: " ", maxSplits: 5)
        guard words.count == 6, words[0] == "SHOW", let start = Date(instant: words[3]), let minutes = Int(words[4])
        else { return nil }
        self.init(
            id: String(words[1]), screenID: String(words[2]), start: start, durationMinutes: minutes,
            title: String(words[5]))
    }

    /// Reads the shows of a `SHOWS` reply: each `SHOW` line, with the seats of the `FREE <show-id> <n-free>
    /// <n-on-sale>` line that names it; other lines are left to their readers.
    public static func shows(in reply: ServerReply) -> [ShowListing] {
        var shows = reply.data.compactMap { ShowListing(line: $0) }
        for line in reply.data {
            let words = line.split(separator: " ")
            guard words.count == 4, words[0] == "FREE", let free = Int(words[2]), let onSale = Int(words[3]),
                let index = shows.firstIndex(where: { $0.id == words[1] })
            else { continue }
            shows[index].seatsFree = free
            shows[index].seatsOnSale = onSale
        }
        return shows
    }

    /// True when no seat is free.
    public var isSoldOut: Bool { seatsFree == 0 }

    /// How full the show is, in words: `sold out`, `almost full: 4 left` (a tenth of the seats or 5, whichever is
    /// more, or fewer), `120 seats left`; nil when the box office did not say.
    public var seatsLeftWords: String? {
        guard let free = seatsFree, let onSale = seatsOnSale else { return nil }
        if free == 0 { return "sold out" }
        if free <= max(5, onSale / 10) { return "almost full: \(free) left" }
        return free == 1 ? "1 seat left" : "\(free) seats left"
    }
}
