/// A small prompt typed on the seat map.
public enum SeatPrompt: Hashable, Sendable {
    /// Typing a seat id to jump to.
    case find(String)
    /// Typing how many seats `BEST` should find; they replace the seats held unless `adding` (the customer typed
    /// `+`).
    case best(String, adding: Bool)
}
