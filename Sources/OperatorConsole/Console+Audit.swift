import BoxOfficeCore
import RedisClient

/// One entry of a show's audit stream.
public struct AuditEntry: Encodable, Sendable, Equatable {
    /// The stream entry's id, `<ms>-<sequence>`: Redis's time when the change happened.
    public let id: String
    /// The show whose stream holds it.
    public let show: String
    /// The event: `hold`, `confirm`, `cancel`, `refund`, ...
    public let event: String
    /// Every field of the entry but `event`.
    public let fields: [String: String]
    /// The fields' names in the order they were written, for reading.
    let order: [String]

    private enum CodingKeys: String, CodingKey {
        case id, show, event, fields, time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(show, forKey: .show)
        try container.encode(event, forKey: .event)
        try container.encode(fields, forKey: .fields)
        try container.encode(time, forKey: .time)
    }

    /// When it was written, ISO 8601 UTC with milliseconds.
    public var time: String {
        let milliseconds = position.milliseconds
        let second = Timestamp(secondsSinceEpoch: Int(milliseconds / 1000)).description.dropLast()
        let fraction = String(milliseconds % 1000)
        return "\(second).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)Z"
    }

    /// The id as numbers, for ordering entries of several streams.
    var position: (milliseconds: UInt64, sequence: UInt64) { Self.position(id) }

    static func position(_ id: String) -> (milliseconds: UInt64, sequence: UInt64) {
        let parts = id.split(separator: "-")
        return (parts.first.flatMap { UInt64($0) } ?? 0, parts.count > 1 ? UInt64(parts[1]) ?? 0 : 0)
    }

    /// One line for a terminal: id, time, show, event, then `field=value` in the order written.
    public var line: String {
        let details = order.compactMap { name in fields[name].map { value in "\(name)=\(Self.quoted(value))" } }
        return printable(([id, time, show, event] + details).joined(separator: " "))
    }

    private static func quoted(_ value: String) -> String {
        value.isEmpty || value.contains(" ") ? "\"\(value)\"" : value
    }

    /// Parses one entry of an XRANGE or XREAD reply: `[id, [field, value, ...]]`.
    init?(_ reply: RedisReply, show: String) {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string else { return nil }
        let flat = (parts[1].array ?? []).compactMap(\.string)
        var fields: [String: String] = [:]
        var order: [String] = []
        var event = ""
        for position in stride(from: 0, to: flat.count - 1, by: 2) {
            if flat[position] == "event" {
                event = flat[position + 1]
            } else if fields[flat[position]] == nil {
                fields[flat[position]] = flat[position + 1]
                order.append(flat[position])
            }
        }
        self.init(id: id, show: show, event: event, fields: fields, order: order)
    }

    init(id: String, show: String, event: String, fields: [String: String], order: [String]) {
        self.id = id
        self.show = show
        self.event = event
        self.fields = fields
        self.order = order
    }
}

extension AuditEntry: ConsoleReport {
    public var text: String { line + "\n" }
}

/// Audit entries of one or more shows, merged in the order they happened.
public struct AuditReport: ConsoleReport {
    /// The entries, oldest first.
    public let entries: [AuditEntry]

    public var text: String {
        guard !entries.isEmpty else { return "No audit entries.\n" }
        return entries.map { $0.line + "\n" }.joined()
    }
}

/// Where `audit --follow` has read up to: the shows it follows and the newest entry id seen.
public struct AuditCursor: Sendable, Equatable {
    /// The shows followed.
    public let shows: [ShowID]
    /// Per show (same order), the id after which its stream's entries are new. One position per stream, because ids
    /// of different streams may tie, and one stream may have more new entries than a read returns.
    public var positions: [String]

    init(shows: [ShowID], after: String) {
        self.shows = shows
        self.positions = Array(repeating: after, count: shows.count)
    }
}

extension Console {
    /// The audit entries of `show` (every show in the programme when nil), oldest first: the `limit` newest, or,
    /// with `since`, the first `limit` after that entry id.
    /// - Returns: the report, and a cursor from which ``followAudit(from:blockMilliseconds:)`` reads what comes next.
    public func audit(show: ShowID? = nil, since: String? = nil, limit: Int = 50) async throws(ConsoleError)
        -> (AuditReport, AuditCursor)
    {
        let shows: [ShowID]
        if let show {
            shows = [show]
        } else {
            shows = try await allShows()
        }
        let now = try await nowMilliseconds()
        guard !shows.isEmpty else { return (AuditReport(entries: []), AuditCursor(shows: [], after: "\(now)-0")) }
        let count = String(max(limit, 0))
        let commands = shows.map { show in
            if let since {
                RedisCommand("XRANGE", keys.audit(show), "(\(since)", "+", "COUNT", count)
            } else {
                RedisCommand("XREVRANGE", keys.audit(show), "+", "-", "COUNT", count)
            }
        }
        let replies = try await send(commands)
        var entries: [AuditEntry] = []
        for (show, reply) in zip(shows, replies) {
            entries += (reply.array ?? []).compactMap { AuditEntry($0, show: show.rawValue) }
        }
        entries.sort {
            ($0.position.milliseconds, $0.position.sequence, $0.show) < (
                $1.position.milliseconds, $1.position.sequence, $1.show
            )
        }
        entries = since == nil ? Array(entries.suffix(limit)) : Array(entries.prefix(limit))
        let after = entries.last?.id ?? since ?? "\(now)-0"
        return (AuditReport(entries: entries), AuditCursor(shows: shows, after: after))
    }

    /// Waits up to `blockMilliseconds` for audit entries newer than the cursor and returns them, oldest first, with
    /// the cursor moved past them; an empty list when none came. Each show's stream is read with its own `XREAD`
    /// (every show lives in its own Cluster slot), all in one pipeline, every 100 ms.
    public func followAudit(from cursor: AuditCursor, blockMilliseconds: Int = 1000) async throws(ConsoleError)
        -> ([AuditEntry], AuditCursor)
    {
        guard !cursor.shows.isEmpty else { return ([], cursor) }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(blockMilliseconds)
        while true {
            let replies = try await send(
                zip(cursor.shows, cursor.positions).map { show, position in
                    RedisCommand("XREAD", "COUNT", "1000", "STREAMS", keys.audit(show), position)
                })
            var entries: [AuditEntry] = []
            var next = cursor
            for (index, reply) in replies.enumerated() {
                guard let stream = reply.array?.first?.array, stream.count == 2 else { continue }
                let read = (stream[1].array ?? []).compactMap { AuditEntry($0, show: cursor.shows[index].rawValue) }
                if let last = read.last { next.positions[index] = last.id }
                entries += read
            }
            if !entries.isEmpty || clock.now >= deadline {
                entries.sort {
                    ($0.position.milliseconds, $0.position.sequence, $0.show) < (
                        $1.position.milliseconds, $1.position.sequence, $1.show
                    )
                }
                return (entries, next)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
