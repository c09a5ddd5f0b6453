/// The payment screen: the quote, and the payment token.
public struct PaymentForm: Hashable, Sendable {
    /// The seat map to return to.
    public var map: SeatMap
    /// What the held seats cost.
    public var quote: Quote
    /// Which demo token is chosen.
    public var tokenIndex = 0
    /// A token typed (not in demo mode).
    public var typed = ""
    /// Waiting for PAY.
    public var busy = false
    /// What the last declined payment said, in words.
    public var declined: String?

    /// A payment form for the seats of `map`, priced by `quote`.
    public init(map: SeatMap, quote: Quote) {
        self.map = map
        self.quote = quote
    }
}
