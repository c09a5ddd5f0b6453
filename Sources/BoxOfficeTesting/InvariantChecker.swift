import RedisClient

/// After a run, checks the promises against Redis itself: no seat sold twice, every booking a kiosk was told of is
/// in Redis with the same seats, no hold left behind, every booking captured, no voided payment with a booking,
/// nothing left unsettled. Used by `boxoffice-bench` after its storm and by the cluster tests after theirs.
public struct InvariantChecker: Sendable {
    let redis: RedisClient
    let prefix: String

    /// Creates a checker of the keys under `prefix` in `redis`.
    public init(redis: RedisClient, prefix: String) {
        self.redis = redis
        self.prefix = prefix
    }

    /// Checks `shows`, and that every booking in `confirmed` (as kiosks were told `OK BOOKED`) is there.
    /// - Returns: every violation found, in words; empty when all hold.
    public func check(shows: [String], confirmed: [(booking: String, show: String, seats: [String])]) async throws
        -> [String]
    {
        var violations: [String] = []
        var paymentKeys: Set<String> = []
        var sessions: Set<Substring> = []
        for show in shows {
            let tag = "\(prefix):{show:\(show)}"
            for sessionKey in try await scan("\(tag):session:*") {
                sessions.insert(sessionKey.split(separator: ":").last ?? "")
            }
            let sold = try await hash("\(tag):sold")
            var seatOwner: [String: String] = [:]
            for bookingKey in try await scan("\(tag):booking:*") {
                let booking = try await hash(bookingKey)
                let id = booking["id"] ?? "?"
                for seat in (booking["seats"] ?? "").split(separator: " ").map(String.init) {
                    if let other = seatOwner[seat] {
                        violations.append("seat \(show)/\(seat) in bookings \(other) and \(id)")
                    }
                    seatOwner[seat] = id
                    if sold[seat] != id {
                        violations.append("seat \(show)/\(seat) of booking \(id) is sold to \(sold[seat] ?? "nobody")")
                    }
                }
                if booking["payment_state"] != "CAPTURED" {
                    violations.append("booking \(id) payment is \(booking["payment_state"] ?? "missing"), not CAPTURED")
                }
                if let payment = booking["payment"] {
                    paymentKeys.insert(payment)
                    let ledger = try await redis.send(RedisCommand("HGET", "\(prefix):paysim:auth:\(payment)", "state"))
                    if ledger.string != "CAPTURED" {
                        violations.append("booking \(id): the gateway has \(ledger.string ?? "nothing"), not CAPTURED")
                    }
                }
            }
            for (seat, booking) in sold where seatOwner[seat] != booking {
                violations.append("seat \(show)/\(seat) sold to \(booking), which has no such seat")
            }
            let holds = try await scan("\(tag):hold:*")
            if !holds.isEmpty {
                violations.append("\(holds.count) holds left behind on show \(show), e.g. \(holds[0])")
            }
            let now = try await redis.send(RedisCommand("TIME")).milliseconds ?? 0
            // Every field of the hold index but `#changes` (the count of changes) is a seat.
            for (seat, entry) in try await hash("\(tag):holds") where !seat.hasPrefix("#") {
                if let deadline = entry.split(separator: " ").last.flatMap({ Int($0) }), deadline > now {
                    violations.append("the hold index still shows \(show)/\(seat) held (\(entry)) with no session open")
                }
            }
            let unsettled = try await redis.send(RedisCommand("SCARD", "\(tag):paying")).integer ?? 0
            if unsettled > 0 { violations.append("\(unsettled) payments left unsettled on show \(show)") }
        }
        for booking in confirmed {
            let stored = try await hash("\(prefix):{show:\(booking.show)}:booking:\(booking.booking)")
            let seats = (stored["seats"] ?? "").split(separator: " ").map(String.init).sorted()
            if seats != booking.seats.sorted() {
                violations.append("OK BOOKED \(booking.booking) \(booking.seats) but Redis has \(seats)")
            }
        }
        for ledgerKey in try await scan("\(prefix):paysim:auth:*") {
            let payment = String(ledgerKey.dropFirst("\(prefix):paysim:auth:".count))
            guard let session = payment.split(separator: "-").first, sessions.contains(session) else { continue }
            let state = try await redis.send(RedisCommand("HGET", ledgerKey, "state")).string
            if state == "VOIDED" && paymentKeys.contains(payment) {
                violations.append("payment \(payment) was voided but has a booking")
            }
            if state == "AUTHORIZED" && !paymentKeys.contains(payment) {
                violations.append("payment \(payment) is authorized with no booking (never voided)")
            }
            if state == "CAPTURED" && !paymentKeys.contains(payment) {
                violations.append("payment \(payment) was captured with no booking")
            }
        }
        return violations
    }

    private func hash(_ key: String) async throws -> [String: String] {
        try await redis.send(RedisCommand("HGETALL", key)).fields
    }

    private func scan(_ pattern: String) async throws -> [String] {
        try await redis.scan(matching: pattern)
    }
}
