import BoxOfficeCore

/// A request the kiosk sends to `boxofficed` (docs/PROTOCOL.md), one line each.
public enum KioskCommand: Hashable, Sendable {
    case kiosk(id: String, secret: String)
    case register(user: String, password: String)
    case login(user: String, password: String)
    case logout
    case shows
    case prices(show: String)
    case layout(show: String)
    /// `SEATS` of the open session's show (nil) or of any show.
    case seats(show: String?)
    case watch(show: String)
    case unwatch
    case start(show: String)
    case resume(session: String)
    case hold([SeatID])
    case release([SeatID])
    case best(Int)
    case quote
    case pay(token: String)
    case close
    case bookings
    case ping
    /// Ends the connection (and frees an open session's seats): sent when the kiosk program ends.
    case quit

    /// The request line, without its line ending.
    public var line: String {
        switch self {
        case .kiosk(let id, let secret): "KIOSK \(id) \(secret)"
        case .register(let user, let password): "REGISTER \(user) \(password)"
        case .login(let user, let password): "LOGIN \(user) \(password)"
        case .logout: "LOGOUT"
        case .shows: "SHOWS"
        case .prices(let show): "PRICES \(show)"
        case .layout(let show): "LAYOUT \(show)"
        case .seats(let show): show.map { "SEATS \($0)" } ?? "SEATS"
        case .watch(let show): "WATCH \(show)"
        case .unwatch: "UNWATCH"
        case .start(let show): "START \(show)"
        case .resume(let session): "RESUME \(session)"
        case .hold(let seats): "HOLD " + seats.sorted().map(\.description).joined(separator: " ")
        case .release(let seats): "RELEASE " + seats.sorted().map(\.description).joined(separator: " ")
        case .best(let count): "BEST \(count)"
        case .quote: "QUOTE"
        case .pay(let token): "PAY \(token)"
        case .close: "CLOSE"
        case .bookings: "BOOKINGS"
        case .ping: "PING"
        case .quit: "QUIT"
        }
    }
}

/// One reply of the server: its data lines and its final `OK ...` or `ERR ...` line.
public struct ServerReply: Hashable, Sendable {
    /// The data lines.
    public var data: [String]
    /// The final line.
    public var final: String

    /// Creates a reply.
    public init(data: [String] = [], final: String) {
        self.data = data
        self.final = final
    }

    /// True when the final line is `OK` or starts with `OK `.
    public var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }
    /// The words of the final line after `OK` or `ERR`.
    public var words: [String] { final.split(separator: " ").dropFirst().map(String.init) }
    /// The error code of an `ERR` reply.
    public var errorCode: String? { isOK ? nil : words.first }
}
