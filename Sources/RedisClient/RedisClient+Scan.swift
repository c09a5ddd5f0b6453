extension RedisClient {
    /// Every key matching `pattern` (a SCAN `MATCH` pattern), sorted and without repeats, read with SCAN, never
    /// KEYS, which would stop Redis on a large keyspace. On a cluster, every primary is scanned (a slot migrating
    /// meanwhile may show a key twice, which is dropped, or not at all).
    /// - Throws: ``RedisError``, ``RedisError/commandRefused(_:)`` when Redis answers SCAN with an error.
    public func scan(matching pattern: String) async throws(RedisError) -> [String] {
        let nodes: [RedisNode] =
            switch try await backend() {
            case .single(let node): [node]
            case .cluster(let cluster): try await cluster.primaries()
            }
        var found: Set<String> = []
        for node in nodes {
            var cursor = "0"
            repeat {
                let reply = try await node.send([RedisCommand("SCAN", cursor, "MATCH", pattern, "COUNT", "1000")])[0]
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                    throw .commandRefused("SCAN answered \(reply)")
                }
                for key in (parts[1].array ?? []).compactMap(\.string) { found.insert(key) }
                cursor = next
            } while cursor != "0"
        }
        return found.sorted()
    }
}
