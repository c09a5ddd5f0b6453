import BoxOfficeCore
import Foundation

/// A confirmed booking, from `BOOKINGS` or `OK BOOKED`.
public struct Booking: Hashable, Sendable {
    /// Tickets of one type at one price.
    public struct TicketLine: Hashable, Sendable {
        /// The ticket type's id; the seats' kind when the show sells a single type.
        public var type: String
        /// How many tickets.
        public var count: Int
        /// One ticket's price, in minor units.
        public var unit: Int

        /// Creates a line.
        public init(type: String, count: Int, unit: Int) {
            self.type = type
            self.count = count
            self.unit = unit
        }
    }

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
    /// The tickets paid for, a line per type and price: from the quote PAY paid, or the booking's `TYPES` line;
    /// empty when neither said.
    public var tickets: [TicketLine] = []

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

    /// The bookings of a `BOOKINGS` reply's data lines, each with the code of the `TICKET` line and the tickets of
    /// the `TYPES` line that name it.
    public static func list(from lines: [String]) -> [Booking] {
        let codes = ticketCodes(in: lines)
        let types = ticketLines(in: lines)
        return lines.compactMap { line in
            guard var booking = Booking(line: line) else { return nil }
            booking.ticketCode = codes[booking.id]
            booking.tickets = types[booking.id] ?? []
            return booking
        }
    }

    /// The tickets named by `TYPES <booking-id> <seat-id>=<type>:<price>...` lines, by booking id: a line per type
    /// and price, in the order they first come.
    static func ticketLines(in lines: [String]) -> [String: [TicketLine]] {
        var result: [String: [TicketLine]] = [:]
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "TYPES" else { continue }
            var tickets: [TicketLine] = []
            for seat in words.dropFirst(2).compactMap({ SeatTicket($0) }) {
                if let index = tickets.firstIndex(where: { $0.type == seat.type && $0.unit == seat.price }) {
                    tickets[index].count += 1
                } else {
                    tickets.append(TicketLine(type: seat.type, count: 1, unit: seat.price))
                }
            }
            result[String(words[1])] = tickets
        }
        return result
    }

    /// The ticket codes named by `TICKET <booking-id> <ticket-code>` lines, by booking id. A code that is not 1 to
    /// 100 printable ASCII characters is left out: the kiosk shows codes in text, so none may carry a control
    /// character to the terminal.
    public static func ticketCodes(in lines: [String]) -> [String: String] {
        var codes: [String: String] = [:]
        for line in lines {
            let words = line.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 3, words[0] == "TICKET" else { continue }
            let code = words[2]
            guard (1...100).contains(code.utf8.count), code.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                continue
            }
            codes[String(words[1])] = String(code)
        }
        return codes
    }
}
