import Foundation

/// The list of today's shows.
public struct ShowList: Hashable, Sendable {
    /// The shows offered, in the order drawn (by film, then time).
    public var shows: [ShowListing] = []
    /// The day they are on, for the title.
    public var day: Date?
    /// Index into ``shows``.
    public var cursor = 0
    /// False until `SHOWS` answered.
    public var loaded = false
    /// True from the customer's pick until `START` answered: a second Enter must not open a second session.
    public var starting = false

    /// An empty list, not loaded yet.
    public init() {}
}
