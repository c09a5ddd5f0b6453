/// Why the ticket types chosen for a session's seats were refused; nothing changed.
public enum TicketRefusal: Error, Equatable, Sendable {
    /// The show sells no ticket type of this id.
    case unknownType(String)
    /// The type is not sold for the film's rating (a child ticket for a film rated 15); `-` for an unrated film.
    case notForRating(type: String, rating: String)
    /// The type is not sold for seats of this kind.
    case notForKind(type: String, kind: SeatKind)
    /// The counts for seats of this kind do not add up to the seats of it held, `held`.
    case countMismatch(kind: SeatKind, held: Int)
    /// More companion tickets than wheelchair spaces held; `allowed` is how many are.
    case tooManyCompanions(allowed: Int)
}
