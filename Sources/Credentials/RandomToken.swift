import CSodium

/// Unguessable identifiers from the system's secure random source.
public enum RandomToken {
    private static let base32Alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// `byteCount` random bytes as lowercase hex.
    public static func hex(byteCount: Int) -> String {
        randomBytes(byteCount).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// `length` random characters of Crockford's base 32 (digits and upper-case letters without I, L, O, U),
    /// easy to read aloud and type, 5 bits each.
    public static func base32(length: Int) -> String {
        String(decoding: randomBytes(length).map { base32Alphabet[Int($0 & 31)] }, as: UTF8.self)
    }

    /// A uniformly random integer in `0..<upperBound`.
    public static func uniform(below upperBound: UInt32) -> UInt32 {
        Sodium.ensureReady()
        return randombytes_uniform(upperBound)
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        Sodium.ensureReady()
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return bytes
    }
}
