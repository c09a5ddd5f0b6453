extension RedisClient {
    /// Sends `command` to the server, or on a cluster to every primary, and returns each one's reply (for commands
    /// about the servers themselves, such as `INFO replication`).
    public func sendToEveryPrimary(_ command: RedisCommand) async throws(RedisError) -> [RedisReply] {
        var replies: [RedisReply] = []
        for node in try await primaries() { replies.append(try await node.send([command])[0]) }
        return replies
    }

    /// The server, or every primary of the cluster.
    private func primaries() async throws(RedisError) -> [RedisNode] {
        switch try await backend() {
        case .single(let node, _): [node]
        case .cluster(let cluster): try await cluster.primaries()
        }
    }

    /// Every key matching `pattern` (a SCAN `MATCH` pattern), sorted and without repeats, read with SCAN, never
    /// KEYS, which would stop Redis on a large keyspace. On a cluster, every primary is scanned (a slot migrating
    /// meanwhile may show a key twice, which is dropped, or not at all).
    /// - Throws: ``RedisError``, ``RedisError/commandRefused(_:)`` when Redis answers SCAN with an error.
    public func scan(matching pattern: String) async throws(RedisError) -> [String] {
        var found: Set<String> = []
        for node in try await primaries() {
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
