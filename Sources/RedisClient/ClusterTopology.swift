/// One node of a Redis Cluster, by the address clients reach it at.
public struct ClusterNode: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address.
    public let host: String
    /// The TCP port.
    public let port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads the `host:port` of a `MOVED` or `ASK` redirection; nil for anything else.
    init?(redirection text: Substring) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon > text.startIndex
        else { return nil }
        host = String(text[..<colon])
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

/// Which primary serves each hash slot, as `CLUSTER SHARDS` (Redis 7) describes the cluster, corrected slot by
/// slot by `MOVED` redirections until the next full reading.
struct ClusterTopology: Sendable {
    /// The primary of each slot, by slot number; nil for a slot no shard serves.
    private var owners: [ClusterNode?]
    /// Every primary that serves at least one slot.
    private(set) var primaries: [ClusterNode]
    /// Every node the cluster named, primaries and replicas, healthy or not: places to ask for the topology.
    private(set) var nodes: [ClusterNode]

    /// Reads a `CLUSTER SHARDS` reply; nil when it is not one (or names no slot at all).
    init?(shards reply: RedisReply) {
        guard let shards = reply.array else { return nil }
        var owners = [ClusterNode?](repeating: nil, count: ClusterSlot.count)
        var primaries: [ClusterNode] = []
        var nodes: [ClusterNode] = []
        for shard in shards {
            let fields = Self.pairs(shard)
            let described = (fields["nodes"]?.array ?? []).compactMap { Self.node(in: $0) }
            nodes += described.map(\.address)
            let ranges = (fields["slots"]?.array ?? []).compactMap(\.integer)
            guard !ranges.isEmpty, let primary = described.first(where: { $0.isPrimary })?.address else { continue }
            for index in stride(from: 0, to: ranges.count - 1, by: 2) {
                let (first, last) = (ranges[index], ranges[index + 1])
                guard 0 <= first, first <= last, last < ClusterSlot.count else { return nil }
                for slot in first...last { owners[slot] = primary }
            }
            if !primaries.contains(primary) { primaries.append(primary) }
        }
        guard !primaries.isEmpty else { return nil }
        self.owners = owners
        self.primaries = primaries
        self.nodes = nodes
    }

    /// The primary serving `slot`, if the topology knows one.
    func primary(for slot: ClusterSlot) -> ClusterNode? { owners[slot.number] }

    /// Records that `slot` has moved to `node` (a `MOVED` redirection).
    mutating func assign(_ slot: ClusterSlot, to node: ClusterNode) {
        owners[slot.number] = node
        if !primaries.contains(node) { primaries.append(node) }
        if !nodes.contains(node) { nodes.append(node) }
    }

    /// A flat `[name, value, name, value ...]` array (RESP2's form of a map) as a dictionary.
    private static func pairs(_ reply: RedisReply) -> [String: RedisReply] {
        let flat = reply.array ?? []
        var fields: [String: RedisReply] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let name = flat[index].string { fields[name] = flat[index + 1] }
        }
        return fields
    }

    /// One node of a shard: where clients reach it, and whether it is the shard's primary.
    private static func node(in reply: RedisReply) -> (address: ClusterNode, isPrimary: Bool)? {
        let fields = pairs(reply)
        guard let port = fields["port"]?.integer else { return nil }
        let endpoint = fields["endpoint"]?.string ?? ""
        let host = endpoint.isEmpty || endpoint == "?" ? fields["ip"]?.string ?? "" : endpoint
        guard !host.isEmpty else { return nil }
        return (ClusterNode(host: host, port: port), fields["role"]?.string == "master")
    }
}
