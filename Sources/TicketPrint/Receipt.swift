/// What a printed ticket says: the show, the seats, what they cost, and the ticket code as a QR code.
public struct Receipt: Hashable, Sendable {
    /// One line of the price list: a label (`Adult, F12`) and the amount as the kiosk shows it (`EUR 12.00`).
    public struct Item: Hashable, Sendable {
        /// What the line is for.
        public var label: String
        /// The amount, formatted.
        public var amount: String

        /// Creates a line.
        public init(label: String, amount: String) {
            self.label = label
            self.amount = amount
        }
    }

    /// The film's title, printed emphasised.
    public var title: String
    /// When the show starts, in the theatre's local time as the kiosk shows it.
    public var time: String
    /// The screen (`1 Main`).
    public var screen: String
    /// The seats booked.
    public var seats: [String]
    /// The price list, seat by seat or type by type; empty when the booking does not itemise.
    public var items: [Item]
    /// The total paid, formatted; empty when unknown.
    public var total: String
    /// The booking's id.
    public var bookingID: String
    /// The ticket code shown at the door, printed as a QR code and in text; nil when the box office gave none.
    public var ticketCode: String?

    /// Creates a receipt.
    public init(
        title: String, time: String, screen: String, seats: [String], items: [Item] = [],
        total: String, bookingID: String, ticketCode: String?
    ) {
        self.title = title
        self.time = time
        self.screen = screen
        self.seats = seats
        self.items = items
        self.total = total
        self.bookingID = bookingID
        self.ticketCode = ticketCode
    }
}
