import BoxOfficeCore
import RedisClient

/// How logins and registrations are limited: a growing wait rather than a ban, counted per user name at each kiosk
/// (so that failures at one kiosk never stop the customer at another) and per kiosk (so that one kiosk cannot try
/// many names), and a bound on password checks per kiosk (each costs a slow hash). Every attempt counts before its
/// password is checked, so concurrent attempts cannot pass a limit.
public struct LoginLimits: Sendable, Equatable {
    /// Attempts for one name at one kiosk that need no wait; each further failure waits longer.
    public var freeAttemptsPerUser: Int
    /// Failed attempts at one kiosk within the window that need no wait; each further one waits longer.
    public var freeAttemptsPerKiosk: Int
    /// The wait after the first attempt past the free ones; it doubles with each attempt after that.
    public var firstWaitMilliseconds: Int
    /// The longest wait for one name at one kiosk.
    public var longestUserWaitMilliseconds: Int
    /// The longest wait at one kiosk.
    public var longestKioskWaitMilliseconds: Int
    /// How long a name's attempts at a kiosk are remembered after the last one.
    public var userMemoryMilliseconds: Int
    /// Registrations allowed at one kiosk within the window.
    public var registrationsPerKiosk: Int
    /// The window of the kiosk's failures and registrations, counted from the first one.
    public var windowMilliseconds: Int

    /// The defaults: 3 free attempts per name at a kiosk, then waits of 1 s, 2 s, 4 s ... up to 15 minutes; 30 free
    /// failures per kiosk in 15 minutes, then waits up to a minute; 20 registrations per kiosk in 15 minutes.
    public static let standard = LoginLimits(
        freeAttemptsPerUser: 3, freeAttemptsPerKiosk: 30, firstWaitMilliseconds: 1000,
        longestUserWaitMilliseconds: 900_000, longestKioskWaitMilliseconds: 60_000,
        userMemoryMilliseconds: 86_400_000, registrationsPerKiosk: 20, windowMilliseconds: 900_000)

    /// Creates limits.
    public init(
        freeAttemptsPerUser: Int, freeAttemptsPerKiosk: Int, firstWaitMilliseconds: Int,
        longestUserWaitMilliseconds: Int, longestKioskWaitMilliseconds: Int, userMemoryMilliseconds: Int,
        registrationsPerKiosk: Int, windowMilliseconds: Int
    ) {
        self.freeAttemptsPerUser = freeAttemptsPerUser
        self.freeAttemptsPerKiosk = freeAttemptsPerKiosk
        self.firstWaitMilliseconds = firstWaitMilliseconds
        self.longestUserWaitMilliseconds = longestUserWaitMilliseconds
        self.longestKioskWaitMilliseconds = longestKioskWaitMilliseconds
        self.userMemoryMilliseconds = userMemoryMilliseconds
        self.registrationsPerKiosk = registrationsPerKiosk
        self.windowMilliseconds = windowMilliseconds
    }
}

/// Whether a login or registration may go ahead.
public enum Admission: Sendable, Equatable {
    /// It may; it has been counted.
    case allowed
    /// Not now: try again after this many milliseconds. Nothing was counted.
    case wait(milliseconds: Int)
}

/// Customers in Redis: accounts, login-attempt counters and each customer's bookings.
public final class UserStore: Sendable {
    private let redis: RedisClient
    private let keys: StoreKeys

    /// Creates a store over `redis` with the key schema `keys`.
    public init(redis: RedisClient, keys: StoreKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// True when a user of that name exists.
    public func exists(_ name: Username) async throws(StoreError) -> Bool {
        try await redis.run(RedisCommand("EXISTS", keys.user(name))).integer == 1
    }

    /// Creates an account with an already-hashed password.
    /// - Returns: false when the name is taken; nothing is changed then.
    public func create(_ name: Username, passwordHash: String, at time: Timestamp) async throws(StoreError) -> Bool {
        let reply = try await redis.run(
            .evaluate(
                Scripts.createUser, keys: [keys.user(name)], arguments: [name.rawValue, passwordHash, time.description])
        )
        return reply.integer == 1
    }

    /// The stored password hash, or nil when there is no such user.
    public func passwordHash(of name: Username) async throws(StoreError) -> String? {
        try await redis.run(RedisCommand("HGET", keys.user(name), "password_hash")).string
    }

    /// Counts a login attempt for `user` (nil: a name that cannot exist) at `kiosk` before its password is checked,
    /// against the limits on the name at that kiosk, on the kiosk, and on password checks at the kiosk.
    public func admitLogin(
        user: Username?, kiosk: KioskID, limits: LoginLimits, passwordChecksPerMinute: Int
    ) async throws(StoreError) -> Admission {
        let reply = try await redis.script(
            Scripts.admitLogin,
            keys: [
                keys.loginAttempts(user: user, kiosk: kiosk), keys.loginAttempts(kiosk: kiosk),
                keys.passwordChecks(kiosk: kiosk),
            ],
            arguments: [
                limits.freeAttemptsPerUser, limits.freeAttemptsPerKiosk, limits.firstWaitMilliseconds,
                limits.longestUserWaitMilliseconds, limits.longestKioskWaitMilliseconds,
                limits.userMemoryMilliseconds, limits.windowMilliseconds, passwordChecksPerMinute,
            ].map(String.init))
        return try Self.admission(reply)
    }

    /// Counts a registration at `kiosk` before the name is looked up and the password hashed.
    public func admitRegistration(kiosk: KioskID, limits: LoginLimits, passwordChecksPerMinute: Int)
        async throws(StoreError) -> Admission
    {
        let reply = try await redis.script(
            Scripts.admitRegistration,
            keys: [keys.registrations(kiosk: kiosk), keys.passwordChecks(kiosk: kiosk)],
            arguments: [
                String(limits.registrationsPerKiosk), String(limits.windowMilliseconds),
                String(passwordChecksPerMinute),
            ])
        return try Self.admission(reply)
    }

    /// After a successful login: forgets the name's attempts at the kiosk and takes the attempt back from the
    /// kiosk's failures, so that a busy kiosk's customers never count against it.
    public func loginSucceeded(user: Username, kiosk: KioskID) async throws(StoreError) {
        _ = try await redis.script(
            Scripts.loginSucceeded,
            keys: [keys.loginAttempts(user: user, kiosk: kiosk), keys.loginAttempts(kiosk: kiosk)], arguments: [])
    }

    private static func admission(_ reply: ScriptReply) throws(StoreError) -> Admission {
        switch reply.outcome {
        case "OK": return .allowed
        case "WAIT": return .wait(milliseconds: try reply.integer(at: 0))
        default: throw .unexpectedReply("admission: \(reply.outcome)")
        }
    }

    /// The show of `booking` if it is among the user's bookings (a cancelled one has left them), else nil.
    public func show(of booking: BookingID, user: Username) async throws(StoreError) -> ShowID? {
        let index = try await redis.run(RedisCommand("ZRANGE", keys.userBookings(user), "0", "-1"))
        let suffix = "/\(booking)"
        return (index.array ?? []).lazy.compactMap(\.string).first { $0.hasSuffix(suffix) }
            .flatMap { ShowID($0.dropLast(suffix.count)) }
    }

    /// The user's confirmed bookings, soonest show first; a cancelled one is left out.
    public func bookings(of user: Username) async throws(StoreError) -> [BookingSummary] {
        let index = try await redis.run(RedisCommand("ZRANGE", keys.userBookings(user), "0", "-1", "WITHSCORES"))
        let flat = (index.array ?? []).compactMap(\.string)
        let entries: [(show: ShowID, booking: BookingID, start: Timestamp)] =
            stride(from: 0, to: flat.count - 1, by: 2).compactMap { position in
                let text = flat[position]
                guard let slash = text.firstIndex(of: "/"), let show = ShowID(text[..<slash]),
                    let booking = BookingID(text[text.index(after: slash)...]), let start = Int(flat[position + 1])
                else { return nil }
                return (show, booking, Timestamp(secondsSinceEpoch: start))
            }
        guard !entries.isEmpty else { return [] }
        let replies = try await redis.pipeline(
            entries.map {
                RedisCommand(
                    "HMGET", keys.booking($0.show, $0.booking), "seats", "amount", "currency", "state", "tickets",
                    "ticket")
            })
        return zip(entries, replies).compactMap { entry, reply -> BookingSummary? in
            guard let fields = reply.array?.map(\.string), fields.count == 6, let seats = fields[0],
                fields[3] != "CANCELLED"
            else { return nil }
            return BookingSummary(
                id: entry.booking, show: entry.show, start: entry.start,
                seats: seats.split(separator: " ").compactMap { SeatID($0) },
                amount: fields[1].flatMap { Int($0) } ?? 0, currency: fields[2] ?? "",
                tickets: (fields[4] ?? "").split(separator: " ").compactMap { SeatTicket($0) },
                ticket: fields[5].flatMap { TicketCode($0) })
        }
    }
}
