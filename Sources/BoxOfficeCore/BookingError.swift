/// Why a booking step was refused: each case is a rule of the theatre, not a failure of the machinery.
public enum BookingError: Error, Equatable, Sendable {
    /// No show has that identifier.
    case unknownShow
    /// The show has started; sales are closed.
    case showStarted
    /// The connection already has an open booking session.
    case sessionOpen
    /// There is no open booking session.
    case noSession
    /// The customer's session is not open any more: its payment is still being settled (not charged yet, or being
    /// voided). Told only to its own customer at its own kiosk.
    case sessionPaying
    /// The customer's session is not open any more: it ended in a booking. Told only to its own customer.
    case sessionBooked
    /// The session ran out of time.
    case sessionExpired
    /// The show has no seat of that name.
    case unknownSeat(SeatID)
    /// These seats are held by another session or booked.
    case seatsUnavailable([SeatID])
    /// These seats are blocked in the show's auditorium: never on sale.
    case notForSale([SeatID])
    /// The session may hold at most this many seats.
    case seatLimit(Int)
    /// The session made the most HOLDs and RELEASEs one session may (each is written to the audit trail).
    case tooManyChanges(Int)
    /// These seats are not in the session's selection.
    case notHeld([SeatID])
    /// PAY with no seats held.
    case nothingHeld
    /// The payment was declined; `attemptsLeft` more tries are allowed (0: the session is closed).
    case paymentFailed(reason: String, attemptsLeft: Int)
    /// A hold was lost before the booking could be confirmed; the authorization was voided.
    case holdLost
    /// The seats cost another total than the one the customer was shown (the theatre changed its prices); nothing
    /// was charged. Carries the total now, in minor units, and its currency.
    case priceChanged(amount: Int, currency: String)
    /// BEST found fewer free seats of the kind asked for than the party needs; this many are free.
    case notEnoughSeats(free: Int)
    /// The ticket types chosen for the seats held break a rule of the show's (see ``TicketRefusal``).
    case tickets(TicketRefusal)
}
