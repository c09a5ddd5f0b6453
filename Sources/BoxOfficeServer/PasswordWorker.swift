import BoxOfficeCore
import Credentials
import NIOPosix
import Synchronization

/// Runs the deliberately slow password hash on NIO's blocking-work thread pool, never on an event loop or the
/// cooperative pool, for at most ``capacity`` requests at once: a request that finds every place taken is turned
/// away at once rather than joining a growing queue (each hash holds 64 MiB while it runs).
public final class PasswordWorker: Sendable {
    /// A place in the worker's queue, held while a request counts its attempt and checks or hashes its password.
    public struct Place: Sendable {
        fileprivate let pool: NIOThreadPool

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

    /// Requests served at once, waiting or hashing.
    public let capacity: Int
    private let pool: NIOThreadPool
    private let taken = Atomic<Int>(0)

    /// Creates a worker on `pool` with room for `capacity` requests at once.
    public init(pool: NIOThreadPool = .singleton, capacity: Int = 16) {
        self.pool = pool
        self.capacity = capacity
    }

    /// Runs `body` holding one place; nil, without running it, when every place is taken.
    public func withPlace<Result, Failure: Error>(_ body: (Place) async throws(Failure) -> Result)
        async throws(Failure) -> Result?
    {
        guard taken.add(1, ordering: .relaxed).newValue <= capacity else {
            taken.subtract(1, ordering: .relaxed)
            return nil
        }
        defer { taken.subtract(1, ordering: .relaxed) }
        return try await body(Place(pool: pool))
    }
}
