import Foundation

/// A confirmed booking, from `BOOKINGS` or `OK BOOKED`.
public struct Booking: Hashable, Sendable {
    /// The booking's id, `BK` and 10 characters.
    public var id: String
    /// The show booked.
    public var showID: String
    /// When the show starts, when `BOOKINGS` said.
    public var start: Date?
    /// What was paid, in the currency's minor units, when `BOOKINGS` said.
    public var amount: Int?
    /// The ISO 4217 code of ``amount``.
    public var currency: String?
    /// The seats booked.
    public var seats: [String]
    /// What the customer shows at the door (`<show-id>.<32 hex digits>`), when a `TICKET` line said.
    public var ticketCode: String?

    /// Reads `BOOKING <booking-id> <show-id> <start> <amount> <currency> <seat-id>...`.
    public init?(line: String) {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 7, words[0] == "BOOKING" else { return nil }
        id = words[1]
        showID = words[2]
        start = Date(instant: Substring(words[3]))
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
