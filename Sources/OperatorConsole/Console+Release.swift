import BoxOfficeCore
import BoxOfficeStore
import RedisClient

/// What `release` did to a session.
public struct ReleaseReport: ConsoleReport {
    /// The session, its show, and the seats it held.
    public let session: String
    public let show: String
    public let seats: [String]
    /// `CLOSED` when this call closed it; `PAYING` when it was left alone because a payment is in flight;
    /// `NOT_OPEN` when it had ended before.
    public let outcome: String
    /// The session's state before the call: `OPEN`, `PAYING`, `BOOKED`, `CLOSED`, `EXPIRED` or `VOID`.
    public let state: String

    /// Whether this call closed the session and freed its seats.
    public var released: Bool { outcome == "CLOSED" }

    public var text: String {
        switch outcome {
        case "CLOSED":
            let freed = seats.isEmpty ? "it held no seats" : "seats freed: \(seats.joined(separator: " "))"
            return "Session \(session) on show \(show) closed; \(freed).\n"
        case "PAYING":
            return """
                Session \(session) on show \(show) is PAYING: a payment is in flight, so it was not closed. \
                Wait for the payment to finish (the daemon settles it within about a minute), then look again.

                """
        default:
            return "Session \(session) on show \(show) is not open (it is \(state)); nothing to release.\n"
        }
    }
}

extension Console {
    /// Reads a session reference, `<session-id>` or `<show-id>/<session-id>`; nil when it is neither.
    public static func sessionReference(_ text: String) -> (show: ShowID?, session: SessionID)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let show = ShowID(parts[0]), let id = SessionID(parts[1]) { return (show, id) }
        guard parts.count == 1, let id = SessionID(text) else { return nil }
        return (nil, id)
    }

    /// Finds a session by its id (`<session-id>`, or `<show-id>/<session-id>` to skip the search).
    public func findSession(_ text: String) async throws(ConsoleError) -> SessionRef {
        guard let (show, id) = Self.sessionReference(text) else {
            throw ConsoleError("\"\(printable(text))\" is not a session id (20 hex digits) or SHOW/SESSION")
        }
        if let show { return SessionRef(show: show, id: id) }
        for key in try await scan(keys.sessionPattern(show: nil, id: id)) {
            let show = try await send(RedisCommand("HGET", key, "show")).string
            if let show = show.flatMap({ ShowID($0) }) { return SessionRef(show: show, id: id) }
        }
        throw .notFound("session \(id)")
    }

    /// Closes an open session and frees its seats at once, with the very operation CLOSE uses; a PAYING session
    /// is left alone.
    public func release(_ session: SessionRef) async throws(ConsoleError) -> ReleaseReport {
        let fields: [String: String]
        do {
            fields = try await bookings.sessionFields(session)
        } catch {
            throw .store(error, at: redis.configuration.urls)
        }
        guard !fields.isEmpty else { throw .notFound("session \(session.show)/\(session.id)") }
        let seats = (fields["seats"] ?? "").split(separator: " ").compactMap { SeatID($0) }
        let outcome: EndOutcome
        do {
            outcome = try await bookings.end(session, believedHeld: seats, as: .closed)
        } catch {
            throw .store(error, at: redis.configuration.urls)
        }
        let word =
            switch outcome {
            case .ended: "CLOSED"
            case .paying: "PAYING"
            case .notOpen, .live: "NOT_OPEN"
            }
        return ReleaseReport(
            session: session.id.rawValue, show: session.show.rawValue, seats: seats.map(\.description), outcome: word,
            state: fields["state"] ?? "")
    }
}
