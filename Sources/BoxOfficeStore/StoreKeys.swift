import BoxOfficeCore

/// Every Redis key BoxOffice uses, in one place: the schema that docs/REDIS.md describes.
///
/// All keys of one show carry the hash tag `{show:<id>}`, so every script that touches one show touches one
/// Cluster slot. The prefix (default `boxoffice`) lets several theatres, or tests, share one Redis.
public struct StoreKeys: Sendable {
    /// The first part of every key, without the colon.
    public let prefix: String

    /// Creates the schema under `prefix`; nil unless the prefix is 1 to 32 of `a-z 0-9 _ . -`.
    public init?(prefix: String = "boxoffice") {
        guard (1...32).contains(prefix.utf8.count),
            prefix.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || "_.-".utf8.contains($0) })
        else { return nil }
        self.prefix = prefix
    }

    // MARK: Theatre

    /// Hash: the theatre's name and when it was created. Its presence means a theatre is loaded.
    public var theatre: String { "\(prefix):theatre" }
    /// Hash: one screen's name and rows.
    public func screen(_ id: String) -> String { "\(prefix):screen:\(id)" }
    /// Hash: one movie's title and runtime.
    public func movie(_ id: String) -> String { "\(prefix):movie:\(id)" }
    /// Sorted set: every show id, scored by its start in Unix seconds.
    public var shows: String { "\(prefix):shows" }

    // MARK: One show (one hash tag, one Cluster slot)

    private func showTag(_ show: ShowID) -> String { "\(prefix):{show:\(show.rawValue)}" }
    /// Hash: the show's screen, movie, title, start, duration and seat list.
    public func show(_ show: ShowID) -> String { "\(showTag(show)):show" }
    /// Hash: every seat of the show, seat id to seat kind.
    public func seats(_ show: ShowID) -> String { "\(showTag(show)):seats" }
    /// String: a temporary hold on one seat, value the session id, expiring at the session's deadline.
    public func hold(_ show: ShowID, _ seat: SeatID) -> String { "\(showTag(show)):hold:\(seat)" }
    /// Hash: the show's index of holds, seat id to `<session-id> <deadline ms>`, kept by the same scripts as the
    /// hold keys so that SEATS need not read one key per seat. An entry past its deadline means nothing.
    public func holdIndex(_ show: ShowID) -> String { "\(showTag(show)):holds" }
    /// Hash: the show's confirmed seats, seat id to booking id.
    public func sold(_ show: ShowID) -> String { "\(showTag(show)):sold" }
    /// Hash: one booking session's state.
    public func session(_ show: ShowID, _ id: SessionID) -> String { "\(showTag(show)):session:\(id)" }
    /// Hash: one confirmed booking.
    public func booking(_ show: ShowID, _ id: BookingID) -> String { "\(showTag(show)):booking:\(id)" }
    /// Hash: the show's ticket codes, code to booking id (written with the booking; never removed, so that a
    /// cancelled booking's code is recognised and refused).
    public func tickets(_ show: ShowID) -> String { "\(showTag(show)):tickets" }
    /// Set: sessions of the show with a payment under way or not yet settled with the gateway.
    public func paying(_ show: ShowID) -> String { "\(showTag(show)):paying" }
    /// Stream: the show's audit trail, one entry per change to its seats or bookings, written by the same script
    /// as the change (capped at about ``Scripts/auditLength`` entries).
    public func audit(_ show: ShowID) -> String { "\(showTag(show)):audit" }
    /// Sorted set: the show's open sessions, scored by their deadline in ms, so that sessions whose connection went
    /// away can be found and expired once their deadline has passed.
    public func openSessions(_ show: ShowID) -> String { "\(showTag(show)):open" }
    /// The keys every seat script takes last: the show's open sessions, hold index and audit stream.
    public func scriptTail(_ show: ShowID) -> [String] { [openSessions(show), holdIndex(show), audit(show)] }

    // MARK: Users

    /// Hash: a user's password hash and creation time.
    public func user(_ name: Username) -> String { "\(prefix):user:\(name)" }
    /// Sorted set: a user's bookings as `<show-id>/<booking-id>`, scored by the show's start.
    public func userBookings(_ name: Username) -> String { "\(prefix):user:\(name):bookings" }
    /// Hash: login attempts for one user name at one kiosk (`attempts`, `not_before` ms): each attempt counts
    /// before its password is checked; a success deletes it. Forgotten a day after the last attempt.
    public func loginAttempts(user name: Username?, kiosk: KioskID) -> String {
        "\(prefix):{login}:user:\(name?.rawValue ?? "?"):kiosk:\(kiosk)"
    }
    /// Hash: failed logins at one kiosk, whatever the name, in the current window (`attempts`, `not_before` ms).
    public func loginAttempts(kiosk: KioskID) -> String { "\(prefix):{login}:kiosk:\(kiosk)" }
    /// String counter: password checks (LOGIN and REGISTER) at one kiosk in the current minute.
    public func passwordChecks(kiosk: KioskID) -> String { "\(prefix):{login}:checks:kiosk:\(kiosk)" }
    /// String counter: recent registrations at one kiosk (expires with its window).
    public func registrations(kiosk: KioskID) -> String { "\(prefix):{login}:registrations:kiosk:\(kiosk)" }

    // MARK: Sessions opened (one Cluster slot)

    /// String counter: sessions a customer opened in the current window of ``SessionPolicy/startWindowMilliseconds``.
    public func starts(user name: Username) -> String { "\(prefix):{starts}:user:\(name)" }
    /// String counter: sessions opened at a kiosk in the current window.
    public func starts(kiosk: KioskID) -> String { "\(prefix):{starts}:kiosk:\(kiosk)" }
    /// Sorted set: the sessions of a kiosk that may still be open, scored by when they end at the latest (ms).
    public func openSessions(kiosk: KioskID) -> String { "\(prefix):{starts}:open:kiosk:\(kiosk)" }

    // MARK: SCAN patterns (operator tools)

    /// SCAN pattern: the session hashes of `show`, or of every show when nil, or the one session `id`.
    public func sessionPattern(show: ShowID?, id: SessionID? = nil) -> String {
        "\(prefix):{show:\(show?.rawValue ?? "*")}:session:\(id?.rawValue ?? "*")"
    }
    /// SCAN pattern: the booking hashes of `show`, or of every show when nil, or the one booking `id`.
    public func bookingPattern(show: ShowID?, id: BookingID? = nil) -> String {
        "\(prefix):{show:\(show?.rawValue ?? "*")}:booking:\(id?.rawValue ?? "*")"
    }
    /// SCAN pattern: every show's `paying` set.
    public var payingPattern: String { "\(prefix):{show:*}:paying" }
    /// The show whose key `key` is (`<prefix>:{show:<id>}:...`), or nil for a key of no show.
    public func show(inKey key: String) -> ShowID? {
        let head = "\(prefix):{show:"
        guard key.hasPrefix(head), let close = key.firstIndex(of: "}") else { return nil }
        return ShowID(key[key.index(key.startIndex, offsetBy: head.count)..<close])
    }
    /// SCAN pattern: the user hashes, and their bookings' sorted sets (`...:bookings`), which a caller skips.
    public var userPattern: String { "\(prefix):user:*" }
}
