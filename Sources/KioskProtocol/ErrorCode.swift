import BoxOfficeCore

/// Every error code a final `ERR` line may carry: the fixed list docs/PROTOCOL.md documents.
public enum ErrorCode: String, CaseIterable, Sendable {
    // Framing and grammar
    case lineTooLong = "LINE_TOO_LONG"
    case unknownCommand = "UNKNOWN_COMMAND"
    case badRequest = "BAD_REQUEST"
    // Order of commands
    case kioskRequired = "KIOSK_REQUIRED"
    case loginRequired = "LOGIN_REQUIRED"
    case alreadyAuthenticated = "ALREADY_AUTHENTICATED"
    // Accounts
    case authFailed = "AUTH_FAILED"
    case rateLimited = "RATE_LIMITED"
    case userExists = "USER_EXISTS"
    case invalidUsername = "INVALID_USERNAME"
    case weakPassword = "WEAK_PASSWORD"
    // Booking
    case unknownShow = "UNKNOWN_SHOW"
    case showStarted = "SHOW_STARTED"
    case sessionOpen = "SESSION_OPEN"
    case noSession = "NO_SESSION"
    case sessionExpired = "SESSION_EXPIRED"
    case unknownSeat = "UNKNOWN_SEAT"
    case seatsUnavailable = "SEATS_UNAVAILABLE"
    case notForSale = "NOT_FOR_SALE"
    case seatLimit = "SEAT_LIMIT"
    case tooManyChanges = "TOO_MANY_CHANGES"
    case notHeld = "NOT_HELD"
    case nothingHeld = "NOTHING_HELD"
    case paymentFailed = "PAYMENT_FAILED"
    case holdLost = "HOLD_LOST"
    case priceChanged = "PRICE_CHANGED"
    case notEnoughSeats = "NOT_ENOUGH_SEATS"
    // Ticket types (revision 1.4)
    case unknownTicketType = "UNKNOWN_TICKET_TYPE"
    case ticketRating = "TICKET_RATING"
    case ticketKind = "TICKET_KIND"
    case ticketCount = "TICKET_COUNT"
    case tooManyCompanions = "TOO_MANY_COMPANIONS"
    // Roles and the door
    case wrongRole = "WRONG_ROLE"
    case unknownTicket = "UNKNOWN_TICKET"
    case wrongScreen = "WRONG_SCREEN"
    case notYetOpen = "NOT_YET_OPEN"
    case showOver = "SHOW_OVER"
    case bookingCancelled = "BOOKING_CANCELLED"
    case alreadyAdmitted = "ALREADY_ADMITTED"
    // Customers' cancellations
    case unknownBooking = "UNKNOWN_BOOKING"
    case cancelClosed = "CANCEL_CLOSED"
    // The server
    case unavailable = "UNAVAILABLE"
    case internalError = "INTERNAL"
}

/// A refusal as it goes on the wire: `ERR <CODE>[ <detail>]`.
public struct WireError: Error, Equatable, Sendable {
    /// The code.
    public let code: ErrorCode
    /// Optional text after the code: seat ids, a limit, or a short explanation. Never user input.
    public let detail: String?

    /// Creates a refusal.
    public init(_ code: ErrorCode, _ detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    /// The final line, without its line ending.
    public var line: String {
        guard let detail, !detail.isEmpty else { return "ERR \(code.rawValue)" }
        return "ERR \(code.rawValue) \(Wire.sanitized(detail))"
    }

    /// The one place a booking rule becomes a wire code.
    public init(_ error: BookingError) {
        let (code, detail): (ErrorCode, String?) =
            switch error {
            case .unknownShow: (.unknownShow, nil)
            case .showStarted: (.showStarted, nil)
            case .sessionOpen: (.sessionOpen, nil)
            case .noSession: (.noSession, nil)
            case .sessionPaying: (.noSession, "PAYING")
            case .sessionBooked: (.noSession, "BOOKED")
            case .sessionExpired: (.sessionExpired, nil)
            case .unknownSeat(let seat): (.unknownSeat, seat.description)
            case .seatsUnavailable(let seats): (.seatsUnavailable, Wire.list(seats))
            case .notForSale(let seats): (.notForSale, Wire.list(seats))
            case .seatLimit(let limit): (.seatLimit, String(limit))
            case .tooManyChanges(let limit): (.tooManyChanges, String(limit))
            case .notHeld(let seats): (.notHeld, Wire.list(seats))
            case .nothingHeld: (.nothingHeld, nil)
            case .paymentFailed(let reason, let attemptsLeft): (.paymentFailed, "\(reason) \(attemptsLeft)")
            case .holdLost: (.holdLost, nil)
            case .priceChanged(let amount, let currency): (.priceChanged, "\(amount) \(currency)")
            case .notEnoughSeats(let free): (.notEnoughSeats, String(free))
            case .tickets(.unknownType(let type)): (.unknownTicketType, type)
            case .tickets(.notForRating(let type, let rating)): (.ticketRating, "\(type) \(rating)")
            case .tickets(.notForKind(let type, let kind)): (.ticketKind, "\(type) \(kind.rawValue)")
            case .tickets(.countMismatch(let kind, let held)): (.ticketCount, "\(kind.rawValue) \(held)")
            case .tickets(.tooManyCompanions(let allowed)): (.tooManyCompanions, String(allowed))
            }
        self.init(code, detail)
    }
}

/// Helpers for writing lines.
public enum Wire {
    /// The greeting sent on connect.
    public static let greeting = "HELLO boxoffice 1"
    /// The longest request line accepted, in bytes, without its line ending.
    public static let maximumLineLength = 4096

    /// `text` with every control character replaced by `?`, so nothing echoed can break the framing.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : $0 }))
    }

    /// Seat ids joined by spaces.
    public static func list(_ seats: [SeatID]) -> String {
        seats.map(\.description).joined(separator: " ")
    }
}
