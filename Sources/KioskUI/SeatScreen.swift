import BoxOfficeCore

/// The seat map screen.
public struct SeatScreen: Hashable, Sendable {
    /// The seat map.
    public var map: SeatMap
    /// The prompt being typed, if any.
    public var prompt: SeatPrompt?
    /// How many replies to HOLD, BEST, RELEASE or QUOTE are still awaited (Enter may send a RELEASE and a HOLD).
    public var awaiting = 0
    /// The seats held when the change being awaited was asked for: its answer says what the change did to them and
    /// to the price.
    public var heldBefore: Set<SeatID> = []
    /// Waiting for the server: until the last awaited reply came, the map takes no seat keys.
    public var busy: Bool { awaiting > 0 }

    /// A seat map screen showing `map`, with no prompt and nothing awaited.
    public init(map: SeatMap) {
        self.map = map
    }
}
