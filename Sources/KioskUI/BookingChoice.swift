/// The My bookings screen's choice of a booking to cancel: which one, and whether the customer is confirming it or
/// the box office is answering.
public struct BookingChoice: Hashable, Sendable {
    /// Where cancelling the chosen booking stands.
    public enum Stage: Hashable, Sendable {
        /// Moving along the list.
        case choosing
        /// Asked "cancel this booking?"; a yes sends CANCEL.
        case confirming
        /// CANCEL sent; waiting for the answer.
        case sending
    }

    /// The chosen booking's position in the list.
    public var index = 0
    /// Where cancelling it stands.
    public var stage = Stage.choosing
}
