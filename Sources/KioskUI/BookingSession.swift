import Foundation

/// The open booking session.
public struct BookingSession: Hashable, Sendable {
    /// The session's id, 20 hex digits.
    public var id: String
    /// The show the session books.
    public var showID: String
    /// When the session's seats are released, once a HOLD said.
    public var expiresAt: Date?
    /// The seconds left that the latest HOLD (or RESUME) said: plain mode says this, not a ticking countdown.
    public var heldSeconds: Int?
}
