import BoxOfficeCore
import BoxOfficeStore
import KioskProtocol

extension KioskConversation {
    /// `CANCEL <booking-id>` → `OK CANCELLED <booking-id> <show-id> <amount> <currency> <REFUNDED|PENDING>
    /// <seat-id>...` | `ERR UNKNOWN_BOOKING` (not one of the customer's bookings) | `ERR ALREADY_ADMITTED`
    /// | `ERR CANCEL_CLOSED <cut-off>` (ISO 8601 UTC) | `ERR UNAVAILABLE` (the payment is not settled yet). The
    /// customer's own cancel takes the operator's path (``BookingStore/cancelAndRefund(_:of:by:refund:)``): the
    /// seats come free at once, the gateway refunds the payment, both audited with the actor `customer:<user>`.
    func cancel(_ booking: BookingID, user: Username) async throws(StoreError) -> Response {
        guard let show = try await services.users.show(of: booking, user: user) else {
            return .error(.unknownBooking)
        }
        let gateway = services.gateway
        let (outcome, refundError) = try await services.bookings.cancelAndRefund(
            booking, of: show, by: .customer(user)
        ) { key in try await gateway.refund(idempotencyKey: key) }
        switch outcome {
        case .cancelled(let cancellation):
            if let refundError {
                logger.error(
                    "booking cancelled, refund pending", metadata: ["booking": "\(booking)", "error": "\(refundError)"])
            }
            if !cancellation.wasCancelled { services.statistics.released(seats: cancellation.seats.count) }
            logger.info("booking cancelled by its customer", metadata: ["booking": "\(booking)", "show": "\(show)"])
            return .ok(
                "CANCELLED \(booking) \(show) \(cancellation.amount) \(Wire.sanitized(cancellation.currency)) "
                    + "\(cancellation.refunded ? "REFUNDED" : "PENDING") \(Wire.list(cancellation.seats))")
        case .notFound: return .error(.unknownBooking)
        case .admitted: return .error(.alreadyAdmitted)
        case .tooLate(let cutoff):
            return .error(.cancelClosed, Timestamp(secondsSinceEpoch: cutoff / 1000).description)
        case .unsettled:
            return .error(.unavailable, "the payment is not settled yet; try again in a minute")
        }
    }
}
