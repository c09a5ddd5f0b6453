import BoxOfficeCore
import RedisClient

/// Bookings, confirmed and cancelled.
public struct BookingsReport: ConsoleReport {
    /// One booking.
    public struct Line: Encodable, Sendable {
        public let id: String
        public let show: String
        /// The show's start, ISO 8601 UTC.
        public let start: String
        public let user: String
        public let kiosk: String
        public let seats: [String]
        /// Each seat's ticket type and price (minor units, VAT included); empty for a booking made before ticket
        /// types were recorded.
        public let tickets: [Ticket]
        /// What was paid, in minor units of `currency`.
        public let amount: Int
        public let currency: String
        /// `CONFIRMED` or `CANCELLED`.
        public let state: String
        /// `AUTHORIZED` or `CAPTURED`.
        public let payment: String
        /// For a cancelled booking, `PENDING` or `REFUNDED`.
        public let refund: String?
        /// When it was made, ISO 8601 UTC.
        public let created: String
    }

    /// One seat's ticket: its type and price.
    public struct Ticket: Encodable, Sendable {
        public let seat: String
        public let type: String
        public let price: Int
    }

    /// The time zone the table's start times are written in (`start` itself is always UTC).
    public let timeZone: String
    /// The bookings, soonest show first.
    public let bookings: [Line]

    public var text: String {
        guard !bookings.isEmpty else { return "No bookings.\n" }
        let clock = LocalTime(identifier: timeZone) ?? .utc
        var table = Table(
            "BOOKING", "SHOW", "START (\(clock.name))", "USER", "SEATS", "TICKETS", "AMOUNT>", "STATE", "PAYMENT")
        for booking in bookings {
            let state = booking.refund.map { "\(booking.state) (refund \($0))" } ?? booking.state
            table.add(
                booking.id, booking.show, clock.text(iso: booking.start), booking.user,
                booking.seats.joined(separator: " "), Self.ticketCounts(booking.tickets),
                MoneyText.amount(booking.amount, booking.currency), state, booking.payment)
        }
        return table.text
    }

    /// How many tickets of each type, in the order the types first come: `2 adult, 1 child`.
    static func ticketCounts(_ tickets: [Ticket]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for ticket in tickets {
            if counts[ticket.type] == nil { order.append(ticket.type) }
            counts[ticket.type, default: 0] += 1
        }
        return order.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }
}

extension Console {
    /// The bookings of `show` (every show when nil), of `user` only when given, soonest show first.
    public func bookings(show: ShowID? = nil, user: Username? = nil) async throws(ConsoleError) -> BookingsReport {
        let keys = try await scan(keys.bookingPattern(show: show))
        let lines = try await hashes(keys).compactMap { fields -> BookingsReport.Line? in
            guard let id = fields["id"], user == nil || fields["user"] == user?.rawValue else { return nil }
            let cancelled = fields["state"] == "CANCELLED"
            return BookingsReport.Line(
                id: id, show: fields["show"] ?? "?", start: fields["start"] ?? "", user: fields["user"] ?? "",
                kiosk: fields["kiosk"] ?? "", seats: (fields["seats"] ?? "").split(separator: " ").map(String.init),
                tickets: (fields["tickets"] ?? "").split(separator: " ").compactMap { SeatTicket($0) }.map {
                    BookingsReport.Ticket(seat: $0.seat.description, type: $0.type, price: $0.price)
                },
                amount: fields["amount"].flatMap { Int($0) } ?? 0, currency: fields["currency"] ?? "",
                state: cancelled ? "CANCELLED" : "CONFIRMED", payment: fields["payment_state"] ?? "",
                refund: cancelled ? fields["refund_state"] ?? "PENDING" : nil,
                created: fields["created"].flatMap { Int($0) }.map {
                    Timestamp(secondsSinceEpoch: $0 / 1000).description
                } ?? "")
        }
        return BookingsReport(
            timeZone: try await localTime().name,
            bookings: lines.sorted { ($0.start, $0.show, $0.id) < ($1.start, $1.show, $1.id) })
    }
}
