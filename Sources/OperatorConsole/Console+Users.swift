import BoxOfficeCore
import RedisClient

/// The customers' accounts, without their password hashes.
public struct UsersReport: ConsoleReport {
    /// One customer.
    public struct Line: Encodable, Sendable {
        public let name: String
        /// When the account was made, ISO 8601 UTC.
        public let created: String
        /// How many bookings the customer holds (cancelled ones left out).
        public let bookings: Int
    }

    /// The time zone the table's creation times are written in (`created` itself is always UTC).
    public let timeZone: String
    /// The customers, by name.
    public let users: [Line]

    public var text: String {
        guard !users.isEmpty else { return "No users.\n" }
        let clock = LocalTime(identifier: timeZone) ?? .utc
        var table = Table("USER", "CREATED (\(clock.name))", "BOOKINGS>")
        for user in users {
            table.add(user.name, clock.text(iso: user.created), String(user.bookings))
        }
        return table.text
    }
}

extension Console {
    /// Every customer's name, creation time and number of bookings. The password hash is never read.
    public func users() async throws(ConsoleError) -> UsersReport {
        let prefix = keys.userPattern.dropLast()  // "<prefix>:user:"
        let names = try await scan(keys.userPattern).compactMap { key -> Username? in
            let rest = key.dropFirst(prefix.count)
            guard key.hasPrefix(prefix), !rest.contains(":") else { return nil }
            return Username(rest)
        }
        let clock = try await localTime()
        guard !names.isEmpty else { return UsersReport(timeZone: clock.name, users: []) }
        let replies = try await send(
            names.flatMap { name in
                [RedisCommand("HGET", keys.user(name), "created"), RedisCommand("ZCARD", keys.userBookings(name))]
            })
        return UsersReport(
            timeZone: clock.name,
            users: names.enumerated().map { index, name in
                UsersReport.Line(
                    name: name.rawValue, created: replies[index * 2].string ?? "",
                    bookings: replies[index * 2 + 1].integer ?? 0)
            })
    }
}
