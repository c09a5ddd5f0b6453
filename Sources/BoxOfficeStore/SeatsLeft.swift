/// How many of a show's seats are still free, out of those on sale: what a list of shows says about each.
public struct SeatsLeft: Sendable, Equatable {
    /// Seats neither sold nor held now.
    public let free: Int
    /// Seats on sale (blocked seats left out).
    public let onSale: Int

    /// Creates a count of `free` seats out of `onSale`.
    public init(free: Int, onSale: Int) {
        self.free = free
        self.onSale = onSale
    }
}
