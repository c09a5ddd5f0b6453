import Foundation

/// A `PAY` whose answer was lost with the connection, and the kiosk's wait for its outcome: the screen says
/// "Checking your payment..." and offers no way to pay again until the box office says what became of it
/// (`BOOKINGS` lists the booking, or `RESUME` answers), or until the kiosk gives up and sends the customer to staff.
public struct PaymentInDoubt: Hashable, Sendable {
    /// What the kiosk knows of the payment.
    public enum Stage: Hashable, Sendable {
        /// Nothing yet, or the box office is still settling it (`ERR NO_SESSION PAYING`): `BOOKINGS`, then `RESUME`.
        case checking
        /// The session ended in a booking (`ERR NO_SESSION BOOKED`): `BOOKINGS` is read until it lists it.
        case booked
        /// No outcome came within ``Kiosk/paymentDoubtLimit``: the customer is sent to staff, and no more is asked.
        case gaveUp
    }

    /// The payment form, to go back to when the payment did not go through and the seats are still held.
    public var form: PaymentForm
    /// The session paid for.
    public var sessionID: String
    /// When the answer was lost: the kiosk gives up ``Kiosk/paymentDoubtLimit`` seconds later.
    public var since: Date
    /// What the kiosk knows of the payment.
    public var stage = Stage.checking
    /// When to ask the box office again; nil while a question is out or the connection is down.
    var nextQuestionAt: Date?

    /// A payment of the seats on `form`, for session `sessionID`, in doubt since `since`.
    init(form: PaymentForm, sessionID: String, since: Date) {
        self.form = form
        self.sessionID = sessionID
        self.since = since
    }

    /// True when `booking` is the one this payment would have made: the same show and the same seats.
    func isMade(_ booking: Booking) -> Bool {
        booking.showID == form.map.showID && Set(booking.seats) == Set(form.map.mine.map(\.description))
    }
}
