import BoxOfficeCore
import Credentials
import NIOPosix

/// Runs the deliberately slow password hash on NIO's blocking-work thread pool, never on an event loop or the
/// cooperative pool.
public struct PasswordWorker: Sendable {
    private let pool: NIOThreadPool

    /// Creates a worker on `pool`.
    public init(pool: NIOThreadPool = .singleton) {
        self.pool = pool
    }

    /// Hashes a new password with a fresh salt.
    public func hash(_ password: Password) async throws -> String {
        try await pool.runIfActive { PasswordHasher.hash(password.cleartext) }
    }

    /// Checks a password against a stored hash; with no stored hash, checks against a decoy so that an unknown
    /// user costs the same time as a wrong password, and fails.
    public func verify(_ password: Password, against stored: String?) async throws -> Bool {
        try await pool.runIfActive {
            let matches = PasswordHasher.verify(password.cleartext, against: stored ?? PasswordHasher.decoy)
            return matches && stored != nil
        }
    }
}
