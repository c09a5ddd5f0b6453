/// What the My bookings screen shows: the customer's bookings once `BOOKINGS` answered, or why they could not be
/// read.
public enum BookingList: Hashable, Sendable {
    /// `BOOKINGS` has not answered yet.
    case loading
    /// The confirmed bookings, soonest show first; empty when there are none.
    case loaded([Booking])
    /// `BOOKINGS` failed; the words say why, and the customer may try again.
    case failed(String)
}
