extension RedisClient {
    /// Every key matching `pattern` (a SCAN `MATCH` pattern), sorted and without repeats, read with SCAN, never
    /// KEYS, which would stop Redis on a large keyspace.
    /// - Throws: ``RedisError``, ``RedisError/commandRefused(_:)`` when Redis answers SCAN with an error.
    public func scan(matching pattern: String) async throws(RedisError) -> [String] {
        var cursor = "0"
        var found: Set<String> = []
        repeat {
            let reply = try await send(RedisCommand("SCAN", cursor, "MATCH", pattern, "COUNT", "1000"))
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                throw .commandRefused("SCAN answered \(reply)")
            }
            for key in (parts[1].array ?? []).compactMap(\.string) { found.insert(key) }
            cursor = next
        } while cursor != "0"
        return found.sorted()
    }
}
