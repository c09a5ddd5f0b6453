/// A show's identifier: 1 to 32 of `A-Z a-z 0-9 _ -`.
public struct ShowID: Hashable, Sendable, CustomStringConvertible {
    /// The identifier's text.
    public let rawValue: String

    /// Validates an identifier; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard Token.isValid(text, maxLength: 32, extra: "_-") else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }
}

/// A kiosk's identifier, as named in its profile: 1 to 64 of `A-Z a-z 0-9 _ . -`.
public struct KioskID: Hashable, Sendable, CustomStringConvertible {
    /// The identifier's text.
    public let rawValue: String

    /// Validates an identifier; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard Token.isValid(text, maxLength: 64, extra: "_.-") else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }
}

/// A customer's user name: 3 to 32 of `a-z 0-9 _ . -`.
public struct Username: Hashable, Sendable, CustomStringConvertible {
    /// The name's text.
    public let rawValue: String

    /// Validates a user name; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard (3...32).contains(utf8.count),
            utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || "_.-".utf8.contains($0) })
        else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }
}

/// A password as typed: 8 to 128 bytes of printable text without spaces. It never prints itself.
public struct Password: Sendable, CustomStringConvertible {
    /// The password's text; hash it, never store or log it.
    public let cleartext: String

    /// Validates a password; nil when it is too short, too long, or holds a space or control character.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard (8...128).contains(utf8.count), utf8.allSatisfy({ $0 > 32 && $0 != 127 }) else { return nil }
        cleartext = String(text)
    }

    public var description: String { "<password>" }
}

/// A booking session's identifier: 20 lowercase hex digits, unguessable.
public struct SessionID: Hashable, Sendable, CustomStringConvertible {
    /// The identifier's text.
    public let rawValue: String

    /// Validates an identifier; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 20, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }
}

/// A booking's identifier, read out to customers: `BK` and 10 characters of Crockford's base 32.
public struct BookingID: Hashable, Sendable, CustomStringConvertible {
    /// The identifier's text.
    public let rawValue: String

    /// Validates an identifier; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 12, text.hasPrefix("BK"),
            text.utf8.dropFirst(2).allSatisfy({ (48...57).contains($0) || (65...90).contains($0) })
        else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }
}

/// The shared test for identifier tokens.
enum Token {
    static func isValid(_ text: some StringProtocol, maxLength: Int, extra: String) -> Bool {
        let utf8 = text.utf8
        return (1...maxLength).contains(utf8.count)
            && utf8.allSatisfy {
                (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || extra.utf8.contains($0)
            }
    }
}
