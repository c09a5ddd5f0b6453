import BoxOfficeCore
import BoxOfficeStore

/// A booking session as its connection knows it: which session, and the seats it last heard it holds (a hint
/// for naming keys; Redis holds the truth).
struct OpenSession {
    let ref: SessionRef
    var seats: [SeatID]
}

/// A logged-in customer's booking session, as the connection knows it.
enum CustomerSession {
    /// None open. `lastEnded` is the customer's session this connection last saw end in Redis (closed, expired or
    /// booked): the customer's session pointer most likely still names it, so START need not read the pointer.
    case none(lastEnded: SessionRef?)
    /// One is open.
    case open(OpenSession)
}

/// Where one kiosk connection stands. Each phase carries exactly what it has proven: no user without a kiosk,
/// no booking session without a user.
enum ConnectionPhase {
    /// Connected; the kiosk has not identified itself. Counts failed KIOSK attempts.
    case awaitingKiosk(failures: Int)
    /// The kiosk proved its secret; no customer is logged in.
    case kiosk(KioskProfile)
    /// A customer is logged in at the kiosk, perhaps with an open booking session.
    case customer(KioskProfile, Username, CustomerSession)

    /// The kiosk, once it has identified itself.
    var kiosk: KioskProfile? {
        switch self {
        case .awaitingKiosk: nil
        case .kiosk(let profile), .customer(let profile, _, _): profile
        }
    }

    /// The open booking session, if any.
    var session: OpenSession? {
        if case .customer(_, _, .open(let session)) = self { session } else { nil }
    }

    /// The customer's session this connection last saw end, while none is open.
    var lastEndedSession: SessionRef? {
        if case .customer(_, _, .none(let lastEnded)) = self { lastEnded } else { nil }
    }

    /// The commands that may succeed now, in the order docs/PROTOCOL.md lists them: what `HELP` answers.
    var allowedCommands: [String] {
        let always = ["PING", "HELP", "QUIT"]
        let browsing = ["SHOWS", "LAYOUT", "PRICES", "SEATS", "WATCH", "UNWATCH", "STATS"]
        switch self {
        case .awaitingKiosk: return always + ["KIOSK"]
        case .kiosk(let profile) where profile.role.isDoor: return always + ["ADMIT"]
        case .kiosk: return always + ["REGISTER", "LOGIN"] + browsing
        case .customer(_, _, .none):
            return always + ["LOGOUT"] + browsing + ["START", "RESUME", "BOOKINGS", "CANCEL"]
        case .customer(_, _, .open):
            return always + ["LOGOUT"] + browsing
                + ["BOOKINGS", "CANCEL", "HOLD", "BEST", "RELEASE", "QUOTE", "PAY", "CLOSE"]
        }
    }

    /// Sets the open session of a logged-in customer; does nothing in other phases.
    mutating func setSession(_ session: OpenSession) {
        if case .customer(let profile, let user, _) = self { self = .customer(profile, user, .open(session)) }
    }

    /// Forgets the open session of a logged-in customer; does nothing in other phases.
    /// - Parameter session: the session, when a reply of Redis said it ended (START then takes it for the one the
    ///   customer's pointer names); nil when nothing confirmed its end.
    mutating func sessionEnded(_ session: SessionRef?) {
        if case .customer(let profile, let user, _) = self {
            self = .customer(profile, user, .none(lastEnded: session))
        }
    }
}
