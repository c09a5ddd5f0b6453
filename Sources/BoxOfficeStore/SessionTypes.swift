import BoxOfficeCore

/// Names one booking session in the store: the show it books and its id.
public struct SessionRef: Hashable, Sendable {
    /// The show the session books.
    public let show: ShowID
    /// The session's id.
    public let id: SessionID

    /// Creates a reference.
    public init(show: ShowID, id: SessionID) {
        self.show = show
        self.id = id
    }

    /// Reads `<show-id>/<session-id>`, as a customer's `session` field holds it; nil for anything else.
    public init?(pointer: some StringProtocol) {
        guard let slash = pointer.firstIndex(of: "/"), let show = ShowID(pointer[..<slash]),
            let id = SessionID(pointer[pointer.index(after: slash)...])
        else { return nil }
        self.init(show: show, id: id)
    }

    /// `<show-id>/<session-id>`.
    public var pointer: String { "\(show)/\(id)" }
}

/// The per-kiosk rules a booking session runs under.
public struct SessionPolicy: Sendable, Equatable {
    /// How long a session may hold seats: from its first successful HOLD, or from START while it holds nothing.
    public var timeoutMilliseconds: Int
    /// The most seats one session may hold.
    public var maxSeats: Int
    /// How many declined payments a session survives.
    public var paymentAttempts: Int
    /// How far a payment in flight extends the holds, so that the on-screen timeout never kills it.
    public var paymentGraceMilliseconds: Int
    /// Sessions one customer may open (START) within ``startWindowMilliseconds``, at whatever kiosks.
    public var startsPerCustomer: Int
    /// Sessions the kiosk may open within ``startWindowMilliseconds``, for whatever customers.
    public var startsPerKiosk: Int
    /// Sessions the kiosk may have open at once (a kiosk serves one customer at a time; a few more cover sessions
    /// left open by a lost connection).
    public var openSessionsPerKiosk: Int

    /// The window of the START limits: 10 minutes.
    public static let startWindowMilliseconds = 600_000
    /// STARTs one customer may make in a window unless a kiosk's profile says otherwise.
    public static let defaultStartsPerCustomer = 30
    /// STARTs a kiosk may make in a window unless its profile says otherwise.
    public static let defaultStartsPerKiosk = 300
    /// Sessions a kiosk may have open at once unless its profile says otherwise.
    public static let defaultOpenSessionsPerKiosk = 8

    /// Creates a policy.
    public init(
        timeoutMilliseconds: Int, maxSeats: Int, paymentAttempts: Int, paymentGraceMilliseconds: Int,
        startsPerCustomer: Int = defaultStartsPerCustomer, startsPerKiosk: Int = defaultStartsPerKiosk,
        openSessionsPerKiosk: Int = defaultOpenSessionsPerKiosk
    ) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxSeats = maxSeats
        self.paymentAttempts = paymentAttempts
        self.paymentGraceMilliseconds = paymentGraceMilliseconds
        self.startsPerCustomer = startsPerCustomer
        self.startsPerKiosk = startsPerKiosk
        self.openSessionsPerKiosk = openSessionsPerKiosk
    }
}

/// The seats a session holds and how long it has left.
public struct Selection: Sendable, Equatable {
    /// The held seats, front to back, left to right.
    public let seats: [SeatID]
    /// Milliseconds until the session's deadline.
    public let millisecondsLeft: Int

    /// Creates a selection.
    public init(seats: [SeatID], millisecondsLeft: Int) {
        self.seats = seats
        self.millisecondsLeft = millisecondsLeft
    }
}

/// How a session ends when its owner does not pay.
public enum SessionEnd: String, Sendable {
    /// CLOSE, LOGOUT, QUIT: seats are freed at once.
    case closed = "CLOSED"
    /// The deadline passed: only takes effect once it really has.
    case expired = "EXPIRED"
}

/// What happened when a session was asked to end.
public enum EndOutcome: Sendable, Equatable {
    /// The session ended and its seats are free.
    case ended
    /// The session is not open (already ended, or unknown).
    case notOpen
    /// A payment is under way; the session cannot end now.
    case paying
    /// Asked to expire before its deadline: this many milliseconds are left.
    case live(millisecondsLeft: Int)
}

/// A payment attempt that may go to the gateway: the seats are checked and held through the grace period.
public struct PaymentStart: Sendable, Equatable {
    /// The attempt's number within the session, from 1; part of the idempotency key.
    public let attempt: Int
    /// What the seats cost at the show's prices, in the currency's minor units.
    public let amount: Int
    /// The ISO 4217 code of the show's currency.
    public let currency: String
    /// The seats being paid for, in the session's order.
    public let seats: [SeatID]

    /// Creates a payment start.
    public init(attempt: Int, amount: Int, currency: String, seats: [SeatID]) {
        self.attempt = attempt
        self.amount = amount
        self.currency = currency
        self.seats = seats
    }
}

/// What a declined payment left behind.
public enum DeclineOutcome: Sendable, Equatable {
    /// The session is open again with its seats; this many attempts remain.
    case open(attemptsLeft: Int, millisecondsLeft: Int)
    /// The session ended (no attempts or time left) and its seats are free.
    case ended(attemptsLeft: Int)
}

/// What confirming a paid booking did.
public enum ConfirmOutcome: Sendable, Equatable {
    /// The seats are sold to this booking, whose ticket code is `ticket`: the one asked for, or, when the attempt
    /// was confirmed before, the one made then.
    case confirmed(BookingID, ticket: TicketCode)
    /// A hold was lost or the grace period ran out: nothing was sold and the authorization must be voided.
    case holdLost
    /// The booking id was taken; nothing was written, try another id.
    case idTaken
}

/// A seat's state as one session sees it.
public enum SeatState: String, Sendable {
    /// Free to hold.
    case available = "AVAILABLE"
    /// Held by another session.
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
    /// Sold.
    case permanentlyUnavailable = "PERMANENTLY_UNAVAILABLE"
    /// Held by the asking session.
    case selected = "SELECTED"
}

/// The auditorium of one show as loaded.
public struct ShowLayout: Sendable, Equatable {
    /// The screen's id.
    public let screenID: String
    /// The screen's name.
    public let screenName: String
    /// Its rows, front row first.
    public let rows: [SeatRow]
    /// Grows whenever the show's seats change.
    public let version: String

    /// Creates a layout.
    public init(screenID: String, screenName: String, rows: [SeatRow], version: String) {
        self.screenID = screenID
        self.screenName = screenName
        self.rows = rows
        self.version = version
    }
}

/// One seat of a show's seat map as one session sees it.
public struct SeatStatus: Sendable, Equatable {
    /// The seat.
    public let seat: SeatID
    /// Its kind (never ``SeatKind/blocked``: blocked seats are left out of seat maps).
    public let kind: SeatKind
    /// Its state.
    public let state: SeatState

    /// Creates a seat status.
    public init(seat: SeatID, kind: SeatKind, state: SeatState) {
        self.seat = seat
        self.kind = kind
        self.state = state
    }
}

/// A confirmed booking as its customer sees it.
public struct BookingSummary: Sendable, Equatable {
    /// The booking's id.
    public let id: BookingID
    /// The show booked.
    public let show: ShowID
    /// The show's start.
    public let start: Timestamp
    /// The seats booked.
    public let seats: [SeatID]
    /// What was paid, in the currency's minor units.
    public let amount: Int
    /// The ISO 4217 code of the currency paid in.
    public let currency: String
    /// Each seat's ticket type and price; empty for a booking made before ticket types were recorded.
    public let tickets: [SeatTicket]
    /// What the customer shows at the door; nil for a booking made before ticket codes.
    public let ticket: TicketCode?

    /// Creates a summary.
    public init(
        id: BookingID, show: ShowID, start: Timestamp, seats: [SeatID], amount: Int, currency: String,
        tickets: [SeatTicket] = [], ticket: TicketCode? = nil
    ) {
        self.id = id
        self.show = show
        self.start = start
        self.seats = seats
        self.amount = amount
        self.currency = currency
        self.tickets = tickets
        self.ticket = ticket
    }
}

/// What the seats a session holds cost now: one item per seat kind, and the total.
public struct Quote: Sendable, Equatable {
    /// The seats of one kind sold as one ticket type in a quote.
    public struct Item: Sendable, Equatable {
        /// The seats' kind.
        public let kind: SeatKind
        /// The ticket type's id.
        public let ticketType: String
        /// How many seats of that kind are held with that type.
        public let count: Int
        /// The price of one, in minor units.
        public let unitPrice: Int

        /// Creates an item.
        public init(kind: SeatKind, ticketType: String, count: Int, unitPrice: Int) {
            self.kind = kind
            self.ticketType = ticketType
            self.count = count
            self.unitPrice = unitPrice
        }

        /// The item's total, in minor units.
        public var subtotal: Int { count * unitPrice }
    }

    /// One item per kind and ticket type, kinds in alphabetical order, types in the show's order.
    public let items: [Item]
    /// The sum of the items, in minor units: what PAY will authorize.
    public let total: Int
    /// The ISO 4217 code of the show's currency.
    public let currency: String
    /// The VAT rate the show states, in basis points, and the VAT part of the total (prices include it); nil when
    /// the show states none.
    public let vat: (basisPoints: Int, amount: Int)?

    /// Creates a quote.
    public init(items: [Item], total: Int, currency: String, vat: (basisPoints: Int, amount: Int)? = nil) {
        self.items = items
        self.total = total
        self.currency = currency
        self.vat = vat
    }

    public static func == (lhs: Quote, rhs: Quote) -> Bool {
        lhs.items == rhs.items && lhs.total == rhs.total && lhs.currency == rhs.currency
            && lhs.vat?.basisPoints == rhs.vat?.basisPoints && lhs.vat?.amount == rhs.vat?.amount
    }
}

/// When a confirmed booking counts as safe from the loss of its primary: once this many replicas have it.
public struct Durability: Sendable, Equatable {
    /// Replicas that must have the booking (`WAIT numreplicas`).
    public let replicas: Int
    /// How long to wait for them each time.
    public let timeout: Duration

    /// Creates a requirement of `replicas` replicas, waited for `timeout` (more than zero) at a time.
    public init(replicas: Int, timeout: Duration = .seconds(1)) {
        precondition(timeout > .zero, "a durability check must have a timeout")
        self.replicas = replicas
        self.timeout = timeout
    }
}
