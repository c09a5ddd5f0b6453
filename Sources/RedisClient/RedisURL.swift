/// Where Redis is and how to log in: `redis://[user[:password]@]host[:port][/db]`.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The database index selected after connecting.
    public var database: Int
    /// The ACL user name; nil logs in as the default user.
    public var username: String?
    /// The password sent with AUTH; nil sends no AUTH.
    public var password: String?

    /// Creates a URL from its parts.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, database: Int = 0, username: String? = nil,
        password: String? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
    }

    /// Parses `redis://[user[:password]@]host[:port][/db]`; percent-escapes in user and password are decoded.
    ///
    /// `redis://name@host` names only the ACL user (its password coming from elsewhere, such as a file);
    /// `redis://:password@host` only a password, for the default user.
    /// - Returns: nil when the text is not such a URL.
    public init?(_ text: String) {
        guard text.hasPrefix("redis://") else { return nil }
        var rest = Substring(text.dropFirst("redis://".count))
        var url = RedisURL()
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                url.username = user.isEmpty ? nil : Self.percentDecoded(user)
                url.password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
                guard url.password != nil, user.isEmpty || url.username != nil else { return nil }
            } else {
                guard !credentials.isEmpty, let user = Self.percentDecoded(credentials) else { return nil }
                url.username = user
            }
        }
        if let slash = rest.firstIndex(of: "/") {
            let database = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !database.isEmpty {
                guard let index = Int(database), (0...15).contains(index) else { return nil }
                url.database = index
            }
        }
        if let colon = rest.lastIndex(of: ":") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            url.port = port
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { return nil }
        url.host = String(rest)
        self = url
    }

    /// The URL without its password, safe to log.
    public var description: String {
        let login =
            switch (username, password) {
            case (let user?, _?): "\(user):***@"
            case (nil, _?): ":***@"
            case (let user?, nil): "\(user)@"
            case (nil, nil): ""
            }
        return "redis://\(login)\(host):\(port)/\(database)"
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                    let value = UInt8(String(text[high...utf8.index(after: high)]), radix: 16)
                else { return nil }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension RedisURL {
    /// What a new connection sends first: `AUTH` when the URL has a password, then `SELECT` of its database (or a
    /// `PING`, for the database 0 a connection starts in).
    public var setupCommands: [RedisCommand] {
        var commands: [RedisCommand] = []
        if let password {
            commands.append(username.map { RedisCommand("AUTH", $0, password) } ?? RedisCommand("AUTH", password))
        }
        commands.append(database == 0 ? RedisCommand("PING") : RedisCommand("SELECT", String(database)))
        return commands
    }
}
