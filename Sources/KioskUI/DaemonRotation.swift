/// The daemons a kiosk may use, taken in turn. The kiosk stays with one while it serves; when that one goes away,
/// or cannot be reached, it moves on to the next in the list (round robin, so never straight back to the one that
/// failed while there are others) at once. Only a round in which every daemon failed in a row is followed by a wait,
/// 0.5 s doubling to 10 s, until a daemon accepts the kiosk again. With one daemon this is the plain backoff
/// between attempts.
public struct DaemonRotation: Hashable, Sendable {
    /// The wait after the first round in which every daemon failed, in seconds.
    public static let firstBackoff: Double = 0.5
    /// The longest wait between rounds, in seconds.
    public static let longestBackoff: Double = 10

    /// The daemons, in the order they are tried; never empty.
    public let addresses: [DaemonAddress]
    /// The position in ``addresses`` of the daemon in use, or to try next.
    private var index = 0
    /// The wait after the next round in which every daemon failed, in seconds.
    private var backoff = firstBackoff
    /// Daemons that failed in a row in the current round (since the last wait, or since a daemon accepted the
    /// kiosk).
    private var failuresThisRound = 0

    /// The daemons at `addresses`, the first in use first.
    /// - Precondition: `addresses` is not empty.
    public init(_ addresses: [DaemonAddress]) {
        precondition(!addresses.isEmpty, "a kiosk needs a daemon to connect to")
        self.addresses = addresses
    }

    /// The daemon in use, or to try next.
    public var current: DaemonAddress { addresses[index] }

    /// The daemon in use went away, refused the kiosk, or could not be reached: moves on to the next one.
    /// - Returns: the seconds to wait before trying it: none while this round has a daemon left to try, else the
    ///   backoff (which then doubles, up to ``longestBackoff``).
    public mutating func failed() -> Double {
        index = (index + 1) % addresses.count
        failuresThisRound += 1
        guard failuresThisRound == addresses.count else { return 0 }
        failuresThisRound = 0
        defer { backoff = min(backoff * 2, Self.longestBackoff) }
        return backoff
    }

    /// The daemon in use accepted the kiosk (`OK KIOSK`): a new round begins, and its wait is ``firstBackoff``
    /// again.
    public mutating func accepted() {
        failuresThisRound = 0
        backoff = Self.firstBackoff
    }
}
