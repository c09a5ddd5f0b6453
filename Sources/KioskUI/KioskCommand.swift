import BoxOfficeCore

/// A request the kiosk sends to `boxofficed` (docs/PROTOCOL.md), one line each.
public enum KioskCommand: Hashable, Sendable {
    /// `KIOSK <kiosk-id> <secret>`: identifies the kiosk.
    case kiosk(id: String, secret: String)
    /// `REGISTER <username> <password>`: creates an account.
    case register(user: String, password: String)
    /// `LOGIN <username> <password>`.
    case login(user: String, password: String)
    /// `LOGOUT`: closes the session and logs the customer out.
    case logout
    /// `SHOWS`: the shows on sale.
    case shows
    /// `PRICES <show-id>`: a show's prices per seat kind.
    case prices(show: String)
    /// `LAYOUT <show-id>`: a show's auditorium.
    case layout(show: String)
    /// `SEATS`: the seats of the open session's show.
    case seats
    /// `WATCH <show-id>`: seat events of the show from now on.
    case watch(show: String)
    /// `UNWATCH`: no more seat events.
    case unwatch
    /// `START <show-id>`: opens a booking session.
    case start(show: String)
    /// `RESUME <session-id> <show-id>`: takes the session back after a reconnection.
    case resume(session: String, show: String)
    /// `HOLD <seat-id> ...`: adds seats to the selection.
    case hold([SeatID])
    /// `RELEASE <seat-id> ...`: gives seats back.
    case release([SeatID])
    /// `BEST <count> [REPLACE]`: holds the best free group of seats; with `replace`, in place of the seats held, in
    /// one step (counting them as free), so a refusal leaves them held.
    case best(Int, replace: Bool = false)
    /// `QUOTE [<kind>:<type>=<count>...]`: what the held seats cost, with the ticket types chosen (revision 1.4).
    case quote(tickets: [String] = [])
    /// `PAY <payment-token> <amount> <currency> [<kind>:<type>=<count>...]`: pays for the held seats the total the
    /// customer was shown (the last `QUOTE`'s, with the same ticket types), in minor units; the box office refuses
    /// with `PRICE_CHANGED` when the seats cost another.
    case pay(token: String, amount: Int, currency: String, tickets: [String] = [])
    /// `CLOSE`: ends the booking session.
    case close
    /// `BOOKINGS`: the customer's bookings.
    case bookings
    /// `CANCEL <booking-id>`: cancels one of the customer's bookings, refunding it.
    case cancel(booking: String)
    /// `ADMIT <ticket-code>`: a door scanner lets a ticket's holders in (``DoorScanner``).
    case admit(code: String)
    /// `PING`: keeps the connection, and proves it alive.
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
        case .seats: "SEATS"
        case .watch(let show): "WATCH \(show)"
        case .unwatch: "UNWATCH"
        case .start(let show): "START \(show)"
        case .resume(let session, let show): "RESUME \(session) \(show)"
        case .hold(let seats): "HOLD " + seats.sorted().map(\.description).joined(separator: " ")
        case .release(let seats): "RELEASE " + seats.sorted().map(\.description).joined(separator: " ")
        case .best(let count, let replace): "BEST \(count)" + (replace ? " REPLACE" : "")
        case .quote(let tickets): (["QUOTE"] + tickets).joined(separator: " ")
        case .pay(let token, let amount, let currency, let tickets):
            (["PAY \(token) \(amount) \(currency)"] + tickets).joined(separator: " ")
        case .close: "CLOSE"
        case .bookings: "BOOKINGS"
        case .cancel(let booking): "CANCEL \(booking)"
        case .admit(let code): "ADMIT \(code)"
        case .ping: "PING"
        case .quit: "QUIT"
        }
    }
}
