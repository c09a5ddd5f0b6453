import Credentials
import Testing

@Suite("Credentials")
struct CredentialsTests {
    @Test("Passwords hash with Argon2id and a fresh salt, and verify")
    func passwords() {
        let first = PasswordHasher.hash("correct-horse")
        let second = PasswordHasher.hash("correct-horse")
        #expect(first.hasPrefix("$argon2id$") && first != second, "salted: the same password hashes differently")
        #expect(PasswordHasher.verify("correct-horse", against: first))
        #expect(!PasswordHasher.verify("correct-horsE", against: first))
        #expect(!PasswordHasher.verify("correct-horse", against: "not a hash"))
    }

    @Test("Kiosk secret digests: SHA-256 in lowercase hex, compared in constant time")
    func secretDigests() throws {
        // printf '%s' abc | sha256sum
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(SecretDigest(of: "abc").hex == abc)
        let digest = try #require(SecretDigest(hex: abc))
        #expect(digest.matches(secret: "abc") && !digest.matches(secret: "abd") && !digest.matches(secret: ""))
        #expect(SecretDigest(hex: abc.uppercased()) == nil && SecretDigest(hex: String(abc.dropLast())) == nil)
    }

    @Test("Random tokens have the requested form and do not repeat")
    func randomTokens() {
        let tokens = (0..<200).map { _ in RandomToken.base32(length: 10) }
        #expect(Set(tokens).count == tokens.count)
        #expect(
            tokens.allSatisfy { $0.count == 10 && $0.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) } })
        #expect(RandomToken.hex(byteCount: 10).count == 20)
    }
}
