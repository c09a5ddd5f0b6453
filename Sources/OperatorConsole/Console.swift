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

    /// Creates a console over `redis` with the key schema `keys`; `gateway` is the one refunds go through.
    public init(redis: RedisClient, keys: StoreKeys, gateway: any PaymentGateway) {
        self.redis = redis
        self.keys = keys
        self.bookings = BookingStore(redis: redis, keys: keys)
        self.theatre = TheatreStore(redis: redis, keys: keys)
        self.gateway = gateway
    }

    // MARK: Reading Redis

    /// Sends commands as one pipeline; an error reply becomes a thrown ``ConsoleError``.
    func send(_ commands: [RedisCommand]) async throws(ConsoleError) -> [RedisReply] {
        let replies: [RedisReply]
        do {
            replies = try await redis.send(commands)
        } catch {
            throw .unavailable("\(error)")
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
            throw .unavailable("\(error)")
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

    static func unavailable(_ detail: String) -> ConsoleError {
        ConsoleError("Redis is unreachable: \(detail)", unavailable: true)
    }
    static func redis(_ detail: String) -> ConsoleError { ConsoleError("Redis answered an error: \(detail)") }
    static func store(_ error: StoreError) -> ConsoleError {
        switch error {
        case .unavailable(let redis): .unavailable("\(redis)")
        case .rejected(let rule): ConsoleError("refused: \(rule)")
        case .unexpectedReply(let text): ConsoleError("unexpected answer from Redis: \(text)")
        }
    }
    static func notFound(_ what: String) -> ConsoleError { ConsoleError("\(what) not found") }
}
