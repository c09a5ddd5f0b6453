import BoxOfficeCore
import RedisClient

/// A booking an operator cancelled: what it was, and where its refund stands.
public struct Cancellation: Sendable, Equatable {
    /// The booking and its show.
    public let booking: BookingID
    public let show: ShowID
    /// The customer, and the seats given back.
    public let user: String
    public let seats: [SeatID]
    /// What was paid, in minor units of `currency`: what the refund gives back.
    public let amount: Int
    public let currency: String
    /// The gateway's idempotency key of the booking's payment.
    public let paymentKey: String
    /// Whether the refund is recorded as done (`refund_state` REFUNDED).
    public internal(set) var refunded: Bool
    /// Whether the booking was cancelled before this call (this call changed nothing).
    public let wasCancelled: Bool
}

/// What asking to cancel a booking did.
public enum CancelOutcome: Sendable, Equatable {
    /// The booking is cancelled, by this call or an earlier one.
    case cancelled(Cancellation)
    /// No such booking.
    case notFound
    /// The booking's payment is not captured yet (the reconciler settles it first); nothing changed.
    case unsettled(paymentState: String)
    /// A customer's cancel of a booking a door admitted; nothing changed.
    case admitted
    /// A customer's cancel after the show's cut-off, which was at `cutoff` (Unix ms); nothing changed.
    case tooLate(cutoff: Int)
}

/// Who cancels a booking: the box office, or the customer who owns it (who is held to the door and the cut-off).
public enum Canceller: Sendable, Equatable {
    /// An operator, named in the audit trail.
    case boxOffice(String)
    /// The booking's customer, at a kiosk.
    case customer(Username)

    /// The actor written into the audit entries: the operator's name, or `customer:<user>`.
    public var actor: String {
        switch self {
        case .boxOffice(let name): name
        case .customer(let user): "customer:\(user)"
        }
    }
}

extension BookingStore {
    /// Cancels a confirmed booking in one atomic step: marks it CANCELLED with its refund pending, frees its seats
    /// (the sold entries still naming it) and audits `cancel` with the canceller's actor. Then takes it out of its
    /// customer's bookings (a key of another Cluster slot, so a step of its own; the customer's BOOKINGS skips a
    /// cancelled booking meanwhile). Calling it again on a cancelled booking changes nothing but that index. A
    /// customer may cancel only their own booking (another's is ``CancelOutcome/notFound``), before a door
    /// admitted it and before the show's cut-off.
    public func cancel(_ booking: BookingID, of show: ShowID, by canceller: Canceller) async throws(StoreError)
        -> CancelOutcome
    {
        var customer = ""
        if case .customer(let user) = canceller { customer = user.rawValue }
        let reply = try await redis.script(
            Scripts.cancelBooking,
            keys: [keys.booking(show, booking), keys.sold(show), keys.show(show)] + keys.scriptTail(show),
            arguments: [booking.rawValue, canceller.actor, customer, String(Show.defaultCancelCutoffMinutes)])
        switch reply.outcome {
        case "CANCELLED", "ALREADY":
            guard reply.details.count == 6 else { throw .unexpectedReply("cancel_booking: \(reply.details)") }
            let user = reply.details[1]
            if let name = Username(user) {
                _ = try await redis.run(RedisCommand("ZREM", keys.userBookings(name), "\(show)/\(booking)"))
            }
            return .cancelled(
                Cancellation(
                    booking: booking, show: show, user: user,
                    seats: reply.details[2].split(separator: " ").compactMap { SeatID($0) },
                    amount: try reply.integer(at: 3), currency: reply.details[4], paymentKey: reply.details[5],
                    refunded: reply.details[0] == "REFUNDED", wasCancelled: reply.outcome == "ALREADY"))
        case "NOT_FOUND": return .notFound
        case "UNSETTLED": return .unsettled(paymentState: reply.details.first ?? "")
        case "ADMITTED": return .admitted
        case "TOO_LATE": return .tooLate(cutoff: try reply.integer(at: 0))
        default: throw .unexpectedReply("cancel_booking: \(reply.outcome)")
        }
    }

    /// Cancels a booking and refunds it: ``cancel(_:of:by:)``, then, unless its refund is recorded already,
    /// `refund` with the payment's idempotency key (the gateway refunds a payment once however often asked), then
    /// ``recordRefund(_:of:actor:)``. A refund that fails leaves the booking cancelled with its refund pending
    /// (`refundError` says why); calling this again retries it. Both the operator's cancel and the customer's take
    /// this path.
    public func cancelAndRefund(
        _ booking: BookingID, of show: ShowID, by canceller: Canceller,
        refund: (_ paymentKey: String) async throws -> Void
    ) async throws(StoreError) -> (outcome: CancelOutcome, refundError: String?) {
        let outcome = try await cancel(booking, of: show, by: canceller)
        guard case .cancelled(var cancellation) = outcome else { return (outcome, nil) }
        guard !cancellation.refunded else { return (outcome, nil) }
        do {
            try await refund(cancellation.paymentKey)
            _ = try await recordRefund(booking, of: show, actor: canceller.actor)
        } catch {
            return (outcome, "\(error)")
        }
        cancellation.refunded = true
        return (.cancelled(cancellation), nil)
    }

    /// Records that the gateway refunded a cancelled booking (`refund_state` REFUNDED, audit `refund`), once.
    /// - Returns: false when it was recorded before.
    public func recordRefund(_ booking: BookingID, of show: ShowID, actor: String) async throws(StoreError) -> Bool {
        let reply = try await redis.script(
            Scripts.recordRefund, keys: [keys.booking(show, booking)] + keys.scriptTail(show),
            arguments: [booking.rawValue, actor])
        switch reply.outcome {
        case "OK": return true
        case "ALREADY": return false
        default: throw .unexpectedReply("record_refund: \(reply.outcome)")
        }
    }
}
