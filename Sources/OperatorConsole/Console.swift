import BoxOfficeCore
import BoxOfficeStore
import Payments
import RedisClient

/// The operator's view of one BoxOffice in Redis: reports read straight from the key schema, and changes made only
/// through the store's atomic operations. It needs no running daemon.
///
/// Every method returns a report that prints as an aligned table (``ConsoleReport/text``) or encodes as one JSON
/// document; the command-line tool only chooses which.
public final class Console: Sendable {
    let redis: RedisClient
    let keys: StoreKeys
    let bookings: BookingStore
    let theatre: TheatreStore
    let gateway: any PaymentGateway
    /// Whether reports write times in UTC rather than in the theatre's time zone.
    let inUTC: Bool

    /// Creates a console over `redis` with the key schema `keys`; `gateway` is the one refunds go through.
    /// Reports write times in the theatre's time zone, or in UTC when `inUTC`.
    public init(redis: RedisClient, keys: StoreKeys, gateway: any PaymentGateway, inUTC: Bool = false) {
        self.redis = redis
        self.keys = keys
        self.bookings = BookingStore(redis: redis, keys: keys)
        self.theatre = TheatreStore(redis: redis, keys: keys)
        self.gateway = gateway
        self.inUTC = inUTC
    }

    // MARK: Reading Redis

    /// Sends commands as one pipeline; an error reply becomes a thrown ``ConsoleError``.
    func send(_ commands: [RedisCommand]) async throws(ConsoleError) -> [RedisReply] {
        let replies: [RedisReply]
        do {
            replies = try await redis.send(commands)
        } catch {
            throw .unavailable(error, at: redis.configuration.urls)
        }
        if let failure = replies.compactMap(\.errorMessage).first { throw .redis(failure) }
        return replies
    }

    /// Sends one command.
    func send(_ command: RedisCommand) async throws(ConsoleError) -> RedisReply {
        try await send([command])[0]
    }

    /// Redis's clock in milliseconds, the one every seat rule runs on.
    func nowMilliseconds() async throws(ConsoleError) -> Int {
        let reply = try await send(RedisCommand("TIME"))
        guard let milliseconds = reply.milliseconds else { throw .redis("TIME answered \(reply)") }
        return milliseconds
    }

    /// Every key matching `pattern`, by SCAN.
    func scan(_ pattern: String) async throws(ConsoleError) -> [String] {
        do {
            return try await redis.scan(matching: pattern)
        } catch {
            throw .unavailable(error, at: redis.configuration.urls)
        }
    }

    /// The hashes at `keys`, read in one pipeline; a missing hash is empty.
    func hashes(_ keys: [String]) async throws(ConsoleError) -> [[String: String]] {
        guard !keys.isEmpty else { return [] }
        return try await send(keys.map { RedisCommand("HGETALL", $0) }).map(\.fields)
    }

    /// Every show id in the programme, soonest first.
    func allShows() async throws(ConsoleError) -> [ShowID] {
        let reply = try await send(RedisCommand("ZRANGE", keys.shows, "0", "-1"))
        return (reply.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
    }
}

/// Why an operator command could not do what it was asked.
public struct ConsoleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the operator.
    public let description: String
    /// Whether Redis could not be reached (the command may be tried again).
    public let isUnavailable: Bool

    init(_ description: String, unavailable: Bool = false) {
        self.description = description
        self.isUnavailable = unavailable
    }

    /// Redis could not be reached, or refused the login: said in words, without the network library's internals.
    static func unavailable(_ error: RedisError, at urls: [RedisURL]) -> ConsoleError {
        let address = urls.isEmpty ? "" : " at " + urls.map { "\($0.host):\($0.port)" }.joined(separator: ",")
        let detail = error.description.lowercased()
        if error.isSetupRejected {
            let user = urls.first?.username ?? "default"
            if detail.contains("wrongpass") || detail.contains("invalid password") {
                return ConsoleError(
                    "Redis\(address) refused the login of user \(user): wrong user name or password "
                        + "(check --redis and the password file)", unavailable: true)
            }
            if detail.contains("noauth") {
                return ConsoleError(
                    "Redis\(address) wants a login: name the user in the URL and give a password file",
                    unavailable: true)
            }
            if detail.contains("noperm") {
                return ConsoleError(
                    "Redis\(address) refused user \(user) a command the login needs (its ACL)", unavailable: true)
            }
            return ConsoleError("Redis\(address) refused the connection setup", unavailable: true)
        }
        let reason =
            if detail.contains("loading") {
                "still loading its data; try again shortly"
            } else if detail.contains("refused") {
                "connection refused"
            } else if detail.contains("timed out") || detail.contains("timeout") {
                "no answer in time"
            } else if detail.contains("resolve") || detail.contains("unknown host") {
                "unknown host name"
            } else if detail.contains("unreachable") {
                "no route to the host"
            } else {
                "cannot connect"
            }
        return ConsoleError("Redis\(address) is unreachable: \(reason)", unavailable: true)
    }
    static func redis(_ detail: String) -> ConsoleError { ConsoleError("Redis answered an error: \(detail)") }
    static func store(_ error: StoreError, at urls: [RedisURL] = []) -> ConsoleError {
        switch error {
        case .unavailable(let redis): .unavailable(redis, at: urls)
        case .rejected(let rule): ConsoleError("refused: \(rule)")
        case .unexpectedReply(let text): ConsoleError("unexpected answer from Redis: \(text)")
        }
    }
    static func notFound(_ what: String) -> ConsoleError { ConsoleError("\(what) not found") }
}
