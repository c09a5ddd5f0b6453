import Synchronization

/// The SHOWS reply, shared by every connection for up to ``maximumAge``. It reads the seats of every upcoming show,
/// so a kiosk asking again and again costs Redis one reading a second, not one per request.
final class ShowListCache: Sendable {
    /// How old a reply may be when it is given again (docs/PROTOCOL.md, SHOWS).
    static let maximumAge = Duration.seconds(1)

    /// The count of shows and the data lines of a SHOWS reply.
    struct Listing: Sendable {
        let count: Int
        let lines: [String]
    }

    private let cached = Mutex<(listing: Listing, at: ContinuousClock.Instant)?>(nil)

    /// The listing read less than ``maximumAge`` ago, if any.
    var fresh: Listing? {
        cached.withLock { cached in
            guard let cached, ContinuousClock.now - cached.at < Self.maximumAge else { return nil }
            return cached.listing
        }
    }

    /// Keeps `listing`, read just now.
    func keep(_ listing: Listing) {
        cached.withLock { $0 = (listing, .now) }
    }
}
