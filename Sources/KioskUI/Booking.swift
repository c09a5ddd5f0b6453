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
    public init(id: String, showID: String, seats: [String], ticketCode: String? = nil) {
        self.id = id
        self.showID = showID
        self.seats = seats
        self.ticketCode = ticketCode
    }

    /// The bookings of a `BOOKINGS` reply's data lines, each with the code of the `TICKET` line that names it.
    public static func list(from lines: [String]) -> [Booking] {
        let codes = ticketCodes(in: lines)
        return lines.compactMap { line in
            guard var booking = Booking(line: line) else { return nil }
            booking.ticketCode = codes[booking.id]
            return booking
        }
    }

    /// The ticket codes named by `TICKET <booking-id> <ticket-code>` lines, by booking id.
    public static func ticketCodes(in lines: [String]) -> [String: String] {
        var codes: [String: String] = [:]
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count == 3, words[0] == "TICKET" else { continue }
            codes[String(words[1])] = String(words[2])
        }
        return codes
    }
}
