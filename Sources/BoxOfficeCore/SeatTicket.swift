/// The ticket one booked seat was sold as: its type and its price, as the booking records it.
public struct SeatTicket: Hashable, Sendable {
    /// The seat.
    public let seat: SeatID
    /// The ticket type's id.
    public let type: String
    /// What the seat cost, VAT included, in minor units.
    public let price: Int

    /// Creates a seat's ticket.
    public init(seat: SeatID, type: String, price: Int) {
        self.seat = seat
        self.type = type
        self.price = price
    }

    /// Reads `<seat>=<type>:<price>`, as the booking hash's `tickets` field and BOOKINGS' `TYPES` lines write it;
    /// nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let seat = SeatID(parts[0]) else { return nil }
        let ticket = parts[1].split(separator: ":")
        guard ticket.count == 2, TicketType.isValidID(ticket[0]),
            let price = Int(ticket[1]), price >= 0
        else { return nil }
        self.init(seat: seat, type: String(ticket[0]), price: price)
    }

    /// `<seat>=<type>:<price>`.
    public var text: String { "\(seat)=\(type):\(price)" }
}
