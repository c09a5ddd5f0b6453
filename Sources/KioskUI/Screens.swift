import BoxOfficeCore
import Foundation

/// The welcome screen: log in or register, then name and password.
public struct WelcomeForm: Hashable, Sendable {
    /// Where the customer is in the form.
    public enum Step: Hashable, Sendable {
        case choose
        case name
        case password
    }

    public var step: Step = .choose
    /// 0 log in, 1 create an account.
    public var choice = 0
    public var name = ""
    /// The password being typed; never drawn, only its length as `*`.
    public var password = ""
    /// Waiting for the server.
    public var busy = false

    public var registering: Bool { choice == 1 }

    public init() {}
}

/// The list of today's shows.
public struct ShowList: Hashable, Sendable {
    /// The shows offered, in the order drawn (by film, then time).
    public var shows: [ShowListing] = []
    /// The day they are on, for the title.
    public var day: Date?
    /// Index into ``shows``.
    public var cursor = 0
    /// False until `SHOWS` answered.
    public var loaded = false
    /// True from the customer's pick until `START` answered: a second Enter must not open a second session.
    public var starting = false

    public init() {}
}

/// A small prompt typed on the seat map.
public enum SeatPrompt: Hashable, Sendable {
    /// Typing a seat id to jump to.
    case find(String)
    /// Typing how many seats `BEST` should find.
    case best(String)
}

/// The seat map screen.
public struct SeatScreen: Hashable, Sendable {
    public var map: SeatMap
    public var prompt: SeatPrompt?
    /// How many replies to HOLD, BEST, RELEASE or QUOTE are still awaited (Enter may send a RELEASE and a HOLD).
    public var awaiting = 0
    /// Waiting for the server: until the last awaited reply came, the map takes no seat keys.
    public var busy: Bool { awaiting > 0 }

    public init(map: SeatMap) {
        self.map = map
    }
}

/// The payment screen: the quote, and the payment token.
public struct PaymentForm: Hashable, Sendable {
    /// The seat map to return to.
    public var map: SeatMap
    public var quote: Quote
    /// Which demo token is chosen.
    public var tokenIndex = 0
    /// A token typed (not in demo mode).
    public var typed = ""
    /// Waiting for PAY.
    public var busy = false
    /// What the last declined payment said, in words.
    public var declined: String?

    public init(map: SeatMap, quote: Quote) {
        self.map = map
        self.quote = quote
    }
}

/// Which screen the kiosk shows.
public enum KioskScreen: Hashable, Sendable {
    case welcome(WelcomeForm)
    case shows(ShowList)
    case seats(SeatScreen)
    case payment(PaymentForm)
    /// The confirmation ticket.
    case ticket(Booking)
    /// My bookings; nil while loading.
    case bookings([Booking]?)
}

/// A message shown above the keys until the next key press.
public struct Notice: Hashable, Sendable {
    public var text: String
    /// An error or a warning rather than news.
    public var isWarning: Bool

    public init(_ text: String, warning: Bool = false) {
        self.text = text
        isWarning = warning
    }
}

/// The open booking session.
public struct BookingSession: Hashable, Sendable {
    public var id: String
    public var showID: String
    /// When the session's seats are released, once a HOLD said.
    public var expiresAt: Date?
    /// The seconds left that the latest HOLD (or RESUME) said: plain mode says this, not a ticking countdown.
    public var heldSeconds: Int?
}

/// A `PAY` whose answer was lost with the connection: after the reconnection, `BOOKINGS` tells whether it booked.
struct PaymentInDoubt: Hashable, Sendable {
    /// The show paid for.
    var showID: String
    /// The seats paid for.
    var seats: Set<String>
    /// The seat map to go back to when the payment is not found.
    var map: SeatMap
}
