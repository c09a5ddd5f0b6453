import CSodium

/// The SHA-256 digest of a kiosk's secret, as a kiosk profile stores it, checked in constant time.
public struct SecretDigest: Sendable, Equatable {
    private let bytes: [UInt8]

    /// Parses 64 lowercase hex digits; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// The digest of `secret`.
    public init(of secret: String) {
        Sodium.ensureReady()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        let input = Array(secret.utf8)
        _ = crypto_hash_sha256(&digest, input, UInt64(input.count))
        self.bytes = digest
    }

    /// The digest as 64 lowercase hex digits.
    public var hex: String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// True when `secret` hashes to this digest; the comparison takes the same time wherever the digests differ.
    public func matches(secret: String) -> Bool {
        let candidate = SecretDigest(of: secret)
        return sodium_memcmp(bytes, candidate.bytes, bytes.count) == 0
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
