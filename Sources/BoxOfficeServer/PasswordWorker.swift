import BoxOfficeCore
import Credentials
import NIOPosix
import Synchronization

/// Runs the deliberately slow password hash on NIO's blocking-work thread pool, never on an event loop or the
/// cooperative pool, for at most ``capacity`` requests at once and ``placesPerKiosk`` from one kiosk: a request
/// that finds no place is turned away at once rather than joining a growing queue (each hash holds 64 MiB while it
/// runs), and one kiosk, however busy or hostile, leaves the others their places.
public final class PasswordWorker: Sendable {
    /// A place in the worker's queue, held while a password is checked or hashed.
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

    private struct Taken {
        var total = 0
        var byKiosk: [KioskID: Int] = [:]
    }

    /// Requests served at once, waiting or hashing.
    public let capacity: Int
    /// Of those, the most from one kiosk.
    public let placesPerKiosk: Int
    private let pool: NIOThreadPool
    private let taken = Mutex(Taken())

    /// Creates a worker on `pool` with room for `capacity` requests at once, `placesPerKiosk` of them from one kiosk.
    public init(pool: NIOThreadPool = .singleton, capacity: Int = 16, placesPerKiosk: Int = 4) {
        self.pool = pool
        self.capacity = capacity
        self.placesPerKiosk = placesPerKiosk
    }

    /// Runs `body` holding one place for `kiosk`; nil, without running it, when the worker or the kiosk's share is
    /// full.
    public func withPlace<Result, Failure: Error>(for kiosk: KioskID, _ body: (Place) async throws(Failure) -> Result)
        async throws(Failure) -> Result?
    {
        let granted = taken.withLock { taken in
            guard taken.total < capacity, taken.byKiosk[kiosk, default: 0] < placesPerKiosk else { return false }
            taken.total += 1
            taken.byKiosk[kiosk, default: 0] += 1
            return true
        }
        guard granted else { return nil }
        defer {
            taken.withLock { taken in
                taken.total -= 1
                taken.byKiosk[kiosk, default: 1] -= 1
                if taken.byKiosk[kiosk] == 0 { taken.byKiosk[kiosk] = nil }
            }
        }
        return try await body(Place(pool: pool))
    }
}
