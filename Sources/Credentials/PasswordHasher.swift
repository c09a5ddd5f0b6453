import CSodium

/// Slow, salted password hashing with Argon2id (libsodium's `crypto_pwhash_str`, interactive limits).
///
/// Each call takes tens of milliseconds and 64 MiB on purpose: run it on a thread pool, never on an event loop.
/// The encoded hash carries its own salt and parameters, so a later change of limits still verifies old hashes.
public enum PasswordHasher {
    /// Hashes `password` with a fresh random salt.
    /// - Returns: the encoded hash, for example `$argon2id$v=19$m=65536,t=2,p=1$...`.
    public static func hash(_ password: String) -> String {
        Sodium.ensureReady()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        let length = UInt64(password.utf8.count)
        let status = password.withCString { characters in
            crypto_pwhash_str(
                &output, characters, length, UInt64(crypto_pwhash_opslimit_interactive()),
                crypto_pwhash_memlimit_interactive())
        }
        precondition(status == 0, "crypto_pwhash_str ran out of memory")
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Checks `password` against an encoded hash from ``hash(_:)``, in time independent of where they differ.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        Sodium.ensureReady()
        let length = UInt64(password.utf8.count)
        return password.withCString { characters in
            crypto_pwhash_str_verify(encoded, characters, length) == 0
        }
    }

    /// A hash of no real password, verified against when a user does not exist, so that an unknown user and a
    /// wrong password cost the same time.
    public static let decoy: String = hash("decoy-password-for-unknown-users")
}
