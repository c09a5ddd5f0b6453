import RedisClient

extension Console {
    /// How reports write times: UTC when asked, else the theatre's time zone from the theatre hash's `time_zone`
    /// (written by `load`), else UTC when the theatre names none or one this machine does not know.
    public func localTime() async throws(ConsoleError) -> LocalTime {
        guard !inUTC else { return .utc }
        let reply = try await send(RedisCommand("HGET", keys.theatre, "time_zone"))
        return reply.string.flatMap { LocalTime(identifier: $0) } ?? .utc
    }
}
