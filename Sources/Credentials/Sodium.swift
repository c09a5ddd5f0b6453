import CSodium

/// libsodium, initialised once before first use.
enum Sodium {
    /// True once `sodium_init` has run; reading it runs it.
    static let ready: Bool = sodium_init() >= 0

    /// Fails loudly if libsodium could not initialise (it only fails without a usable random source).
    static func ensureReady() {
        precondition(ready, "libsodium failed to initialise")
    }
}
