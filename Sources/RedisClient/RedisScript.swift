/// A Lua script run with `EVALSHA`, known by the SHA-1 of its source.
public struct RedisScript: Sendable, Equatable {
    /// A short name for logs.
    public let name: String
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of `source`, as Redis names the script.
    public let sha1: String

    /// Creates a script; its SHA-1 is computed once, here.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
        self.sha1 = SHA1.hexDigest(of: Array(source.utf8))
    }
}
