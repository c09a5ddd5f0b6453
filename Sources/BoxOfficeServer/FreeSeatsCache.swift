import BoxOfficeCore
import BoxOfficeStore
import Synchronization

/// The free seats of every upcoming show, as SHOWS's FREE lines give them, shared by every connection for up to
/// ``maximumAge``: counting them reads every show's holds and sales, so a kiosk asking again and again costs Redis
/// one count a second, not one per request. The list of shows itself is read afresh each time.
final class FreeSeatsCache: Sendable {
    /// How old a count may be when it is given again (docs/PROTOCOL.md, SHOWS).
    static let maximumAge = Duration.seconds(1)

    private let cached = Mutex<(counts: [ShowID: SeatsLeft], at: ContinuousClock.Instant)?>(nil)

    /// The counts of `shows` read less than ``maximumAge`` ago; nil when they are older or some show is missing.
    func fresh(for shows: [ShowID]) -> [ShowID: SeatsLeft]? {
        cached.withLock { cached in
            guard let cached, ContinuousClock.now - cached.at < Self.maximumAge,
                shows.allSatisfy({ cached.counts[$0] != nil })
            else { return nil }
            return cached.counts
        }
    }

    /// Keeps `counts`, read just now.
    func keep(_ counts: [ShowID: SeatsLeft]) {
        cached.withLock { $0 = (counts, .now) }
    }
}
