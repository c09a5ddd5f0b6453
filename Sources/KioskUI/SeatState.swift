/// What the customer can tell about one seat on the map.
public enum SeatState: Hashable, Sendable {
    /// Free to choose.
    case available
    /// Held by another customer (or, until the answer says it is theirs, by this one).
    case held
    /// Sold.
    case sold
    /// Blocked by the theatre, or not listed at all.
    case blocked
    /// Held by this customer's session.
    case mine
}
