extension RedisCommand {
    /// The key a cluster routes this command by (its first key), or nil for a command that names no key and may go
    /// to any node (`PING`, `TIME`, `INFO`, `SCAN` ...).
    ///
    /// BoxOffice sends single-slot commands only (every script's keys share one hash tag); a command whose keys lie in
    /// several slots gets Redis's `CROSSSLOT` error.
    public var routingKey: String? {
        guard let name = arguments.first?.uppercased() else { return nil }
        switch name {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard arguments.count > 3, let count = Int(arguments[2]), count > 0 else { return nil }
            return arguments[3]
        case "XREAD", "XREADGROUP":
            guard let streams = arguments.firstIndex(where: { $0.uppercased() == "STREAMS" }),
                streams + 1 < arguments.count
            else { return nil }
            return arguments[streams + 1]
        case "PING", "TIME", "INFO", "SCAN", "AUTH", "SELECT", "ASKING", "READONLY", "CLUSTER", "SCRIPT", "WAIT",
            "DBSIZE", "FLUSHALL", "FLUSHDB", "CONFIG", "ACL", "CLIENT", "HELLO", "COMMAND", "ECHO", "QUIT":
            return nil
        default:
            return arguments.count > 1 ? arguments[1] : nil
        }
    }

    /// The cluster slot of ``routingKey``, or nil for a command that names no key.
    public var slot: ClusterSlot? { routingKey.map { ClusterSlot(key: $0) } }
}
