/// Which screen the kiosk shows.
public enum KioskScreen: Hashable, Sendable {
    /// Log in or create an account.
    case welcome(WelcomeForm)
    /// The shows on sale, by day or by film.
    case shows(ShowList)
    /// The seat map of the open session's show.
    case seats(SeatScreen)
    /// The quote and the card.
    case payment(PaymentForm)
    /// "Checking your payment...": a payment's answer was lost, and the kiosk waits for its outcome.
    case paymentInDoubt(PaymentInDoubt)
    /// A booking's ticket: just confirmed, or opened again from My bookings.
    case ticket(Booking)
    /// My bookings.
    case bookings(BookingList)
}
