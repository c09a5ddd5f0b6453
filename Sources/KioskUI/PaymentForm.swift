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
    /// Waiting for PAY, or for the new QUOTE after the price changed.
    public var busy = false
    /// What the last declined payment said, in words.
    public var declined: String?
    /// The quote the customer was shown before PAY found that the price had changed (`ERR PRICE_CHANGED`): while
    /// set, the form says that the price changed and from what, and nothing is paid until the customer confirms
    /// the new total.
    public var priceChangedFrom: Quote?
    /// The ticket types chosen, when the show sells more than one for the seats held (revision 1.4).
    public var tickets: TicketPicker?
    /// The choice ``quote`` was given for: a refused change goes back to it.
    public var quotedTickets: TicketPicker?
    /// Waiting for the QUOTE of a changed choice of ticket types: nothing is paid until it answers.
    public var requoting = false

    /// A payment form for the seats of `map`, priced by `quote`.
    public init(map: SeatMap, quote: Quote) {
        self.map = map
        self.quote = quote
    }
}
