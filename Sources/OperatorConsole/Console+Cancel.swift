import BoxOfficeCore
import BoxOfficeStore
import Payments
import RedisClient

/// What `cancel` did.
public struct CancelReport: ConsoleReport {
    public let booking: String
    public let show: String
    public let user: String
    /// The seats given back.
    public let seats: [String]
    public let amount: Int
    public let currency: String
    /// Whether the booking was already cancelled before this call.
    public let wasCancelled: Bool
    /// `REFUNDED`, or `PENDING` when the gateway has not refunded it yet (run cancel again to retry).
    public let refund: String
    /// Why the refund failed, when it did.
    public let refundError: String?

    /// Whether everything is done: cancelled and refunded.
    public var isComplete: Bool { refund == "REFUNDED" }

    public var text: String {
        let money = MoneyText.amount(amount, currency)
        var lines: [String] = []
        if wasCancelled {
            lines.append("Booking \(booking) (show \(show), \(user)) was already cancelled.")
        } else {
            let freed = seats.isEmpty ? "no seats" : "seats \(seats.joined(separator: " "))"
            lines.append("Booking \(booking) (show \(show), \(user)) cancelled; \(freed) free again.")
        }
        if isComplete {
            lines.append("Refunded \(money).")
        } else {
            lines.append("Refund of \(money) PENDING: \(refundError ?? "the gateway did not refund it").")
            lines.append("The booking stays cancelled; run `boxofficectl cancel \(show)/\(booking)` again to retry.")
        }
        return lines.map { printable($0) + "\n" }.joined()
    }
}

extension Console {
    /// Reads a booking reference, `<booking-id>` or `<show-id>/<booking-id>`; nil when it is neither.
    public static func bookingReference(_ text: String) -> (show: ShowID?, booking: BookingID)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let show = ShowID(parts[0]), let id = BookingID(parts[1]) { return (show, id) }
        guard parts.count == 1, let id = BookingID(text) else { return nil }
        return (nil, id)
    }

    /// Finds a booking by its id (`<booking-id>`, or `<show-id>/<booking-id>` to skip the search).
    public func findBooking(_ text: String) async throws(ConsoleError) -> (show: ShowID, booking: BookingID) {
        guard let (show, id) = Self.bookingReference(text) else {
            throw ConsoleError("\"\(printable(text))\" is not a booking id (BK and 10 characters) or SHOW/BOOKING")
        }
        if let show { return (show, id) }
        for key in try await scan(keys.bookingPattern(show: nil, id: id)) {
            let show = try await send(RedisCommand("HGET", key, "show")).string
            if let show = show.flatMap({ ShowID($0) }) { return (show, id) }
        }
        throw .notFound("booking \(id)")
    }

    /// Cancels a booking and refunds it: first, atomically, the booking is marked cancelled, its seats freed and a
    /// `cancel` audited; then the gateway refunds the payment; then `refund_state` REFUNDED and a `refund` entry are
    /// recorded. A refund that fails leaves the booking cancelled with its refund pending; calling this again
    /// retries the refund (cancelling twice is otherwise harmless).
    /// - Parameter actor: who cancels, written into the audit entries.
    public func cancel(_ booking: BookingID, of show: ShowID, actor: String) async throws(ConsoleError)
        -> CancelReport
    {
        let outcome: CancelOutcome
        let refundError: String?
        do {
            (outcome, refundError) = try await bookings.cancelAndRefund(booking, of: show, by: .boxOffice(actor)) {
                try await gateway.refund(idempotencyKey: $0)
            }
        } catch {
            throw .store(error, at: redis.configuration.urls)
        }
        let cancellation: Cancellation
        switch outcome {
        case .cancelled(let done): cancellation = done
        case .notFound: throw .notFound("booking \(show)/\(booking)")
        case .unsettled(let state):
            throw ConsoleError(
                "booking \(show)/\(booking) has its payment \(state.isEmpty ? "unsettled" : state), not CAPTURED: "
                    + "nothing was changed; the daemon's reconciler settles it within a minute, then try again")
        case .admitted, .tooLate: throw ConsoleError("booking \(show)/\(booking): unexpected refusal \(outcome)")
        }
        let refunded = cancellation.refunded
        return CancelReport(
            booking: booking.rawValue, show: show.rawValue, user: cancellation.user,
            seats: cancellation.seats.map(\.description), amount: cancellation.amount,
            currency: cancellation.currency, wasCancelled: cancellation.wasCancelled,
            refund: refunded ? "REFUNDED" : "PENDING", refundError: refundError)
    }
}
