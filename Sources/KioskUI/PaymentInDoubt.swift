/// A `PAY` whose answer was lost with the connection: after the reconnection, `BOOKINGS` tells whether it booked.
struct PaymentInDoubt: Hashable, Sendable {
    /// The show paid for.
    var showID: String
    /// The seats paid for.
    var seats: Set<String>
    /// The seat map to go back to when the payment is not found.
    var map: SeatMap
}
