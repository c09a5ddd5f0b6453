import BoxOfficeCore
import RedisClient

/// How many failed logins are allowed, per user name and per kiosk, and how many registrations per kiosk, within a
/// window counted from the first one.
public struct LoginLimits: Sendable, Equatable {
    /// Failed logins allowed for one user name within the window.
    public var perUser: Int
    /// Failed logins allowed at one kiosk within the window.
    public var perKiosk: Int
    /// Registrations allowed at one kiosk within the window (each costs a slow password hash).
    public var registrationsPerKiosk: Int
    /// The window, in milliseconds, counted from the first failure.
    public var windowMilliseconds: Int

    /// The defaults: 5 failures per user and 30 per kiosk, 20 registrations per kiosk, in 15 minutes.
    public static let standard = LoginLimits(
        perUser: 5, perKiosk: 30, registrationsPerKiosk: 20, windowMilliseconds: 15 * 60 * 1000)

    /// Creates limits.
    public init(perUser: Int, perKiosk: Int, registrationsPerKiosk: Int, windowMilliseconds: Int) {
        self.perUser = perUser
        self.perKiosk = perKiosk
        self.registrationsPerKiosk = registrationsPerKiosk
        self.windowMilliseconds = windowMilliseconds
    }
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

    /// Counts a login attempt against both limits before the password is checked.
    /// - Returns: false when either limit is reached; the attempt is then not made.
    public func reserveLoginAttempt(user: Username, kiosk: KioskID, limits: LoginLimits) async throws(StoreError)
        -> Bool
    {
        let reply = try await redis.run(
            .evaluate(
                Scripts.reserveLogin, keys: [keys.loginFailures(user: user), keys.loginFailures(kiosk: kiosk)],
                arguments: [String(limits.perUser), String(limits.perKiosk), String(limits.windowMilliseconds)]))
        return reply.integer == 1
    }

    /// Counts a registration against the kiosk's limit before the password is hashed.
    /// - Returns: false when the limit is reached; the registration is then not made.
    public func reserveRegistration(kiosk: KioskID, limits: LoginLimits) async throws(StoreError) -> Bool {
        let reply = try await redis.run(
            .evaluate(
                Scripts.reserveRegistration, keys: [keys.registrations(kiosk: kiosk)],
                arguments: [String(limits.registrationsPerKiosk), String(limits.windowMilliseconds)]))
        return reply.integer == 1
    }

    /// Takes back the attempt counted by ``reserveLoginAttempt(user:kiosk:limits:)`` after a successful login.
    public func forgiveLoginAttempt(user: Username) async throws(StoreError) {
        _ = try await redis.run(RedisCommand("DEL", keys.loginFailures(user: user)))
    }

    /// Counts a failed login against the kiosk's limit.
    public func countLoginFailure(kiosk: KioskID, limits: LoginLimits) async throws(StoreError) {
        let key = keys.loginFailures(kiosk: kiosk)
        let replies = try await redis.pipeline([
            RedisCommand("INCR", key), RedisCommand("PEXPIRE", key, String(limits.windowMilliseconds), "NX"),
        ])
        if let failure = replies.compactMap(\.errorMessage).first { throw .unexpectedReply(failure) }
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
                RedisCommand("HMGET", keys.booking($0.show, $0.booking), "seats", "amount", "currency", "state")
            })
        return zip(entries, replies).compactMap { entry, reply in
            guard let fields = reply.array?.map(\.string), fields.count == 4, let seats = fields[0],
                fields[3] != "CANCELLED"
            else { return nil }
            return BookingSummary(
                id: entry.booking, show: entry.show, start: entry.start,
                seats: seats.split(separator: " ").compactMap { SeatID($0) },
                amount: fields[1].flatMap { Int($0) } ?? 0, currency: fields[2] ?? "")
        }
    }
}
