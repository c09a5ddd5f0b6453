import BoxOfficeCore
import RedisClient

/// The booking sessions open right now (OPEN within their deadline, or PAYING).
public struct SessionsReport: ConsoleReport {
    /// One session.
    public struct Line: Encodable, Sendable {
        public let id: String
        public let show: String
        public let user: String
        public let kiosk: String
        /// The seats it holds.
        public let seats: [String]
        /// Seconds until its holds expire (for PAYING, until its payment grace period ends).
        public let secondsLeft: Int
        /// `OPEN` or `PAYING`.
        public let state: String
    }

    /// The sessions, soonest to expire first.
    public let sessions: [Line]

    public var text: String {
        guard !sessions.isEmpty else { return "No open sessions.\n" }
        var table = Table("SESSION", "USER", "KIOSK", "SHOW", "SEATS", "LEFT (S)>", "STATE")
        for session in sessions {
            table.add(
                session.id, session.user, session.kiosk, session.show, session.seats.joined(separator: " "),
                String(session.secondsLeft), session.state)
        }
        return table.text
    }
}

extension Console {
    /// The sessions open now: OPEN within their deadline, or PAYING.
    public func openSessions() async throws(ConsoleError) -> SessionsReport {
        let keys = try await scan(keys.sessionPattern(show: nil))
        let now = try await nowMilliseconds()
        let lines = try await hashes(keys).compactMap { fields -> (Int, SessionsReport.Line)? in
            let state = fields["state"] ?? ""
            let until: Int?
            switch state {
            case "OPEN": until = fields["deadline"].flatMap { Int($0) }
            case "PAYING": until = fields["pay_until"].flatMap { Int($0) }
            default: return nil
            }
            guard let until, state == "PAYING" || until > now else { return nil }
            let line = SessionsReport.Line(
                id: fields["id"] ?? "?", show: fields["show"] ?? "?", user: fields["user"] ?? "",
                kiosk: fields["kiosk"] ?? "", seats: (fields["seats"] ?? "").split(separator: " ").map(String.init),
                secondsLeft: max(0, (until - now + 999) / 1000), state: state)
            return (until, line)
        }
        return SessionsReport(sessions: lines.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1))
    }
}
