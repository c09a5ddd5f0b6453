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
        guard words.count == 6, words[0] == "SHOW", let start = Date(instant: words[3]), let minutes = Int(words[4])
        else { return nil }
        self.init(
            id: String(words[1]), screenID: String(words[2]), start: start, durationMinutes: minutes,
            title: String(words[5]))
    }
}
