import BoxOfficeCore
import BoxOfficeStore
import Credentials
import Logging
import Payments

/// PAY, in the order that makes a charge without a booking impossible: check and extend the holds, authorize,
/// confirm in Redis, and only then capture. A failed confirmation voids the authorization; a daemon that dies
/// half way leaves a session in the `paying` set for the ``Reconciler``.
struct Checkout {
    /// What a payment attempt came to, when it did not fail outright.
    enum Outcome {
        /// The seats are sold; `ticket` is what the customer shows at the door.
        case booked(BookingID, seats: [SeatID], ticket: TicketCode)
        /// The gateway said no; `reopened` is the session's selection when it may try again, nil when it ended.
        case declined(reason: String, attemptsLeft: Int, reopened: Selection?)
        /// The gateway failed and an authorization may exist: the session stays PAYING and the reconciler voids
        /// it and frees the seats once the grace period is over.
        case gatewayUnavailable
        /// The booking is confirmed on its primary but too few replicas have it yet: nothing is captured, and the
        /// reconciler captures it once they do (or voids it if a failover lost it).
        case notYetDurable
    }

    let services: BoxOfficeServices
    let logger: Logger

    /// Runs one payment attempt for `session`.
    /// - Throws: ``StoreError``: ``BookingError/nothingHeld``, ``BookingError/sessionExpired``,
    ///   ``BookingError/holdLost`` (the session is over, nothing charged), or Redis unavailable;
    ///   ``BookingError/priceChanged(amount:currency:)`` (the seats cost another total than `shown`; nothing changed),
    ///   ``BookingError/tickets(_:)`` (the ticket types chosen break a rule of the show's; nothing changed).
    func pay(
        _ session: SessionRef, user: Username, believedHeld: [SeatID], token: PaymentToken,
        shown: (amount: Int, currency: String)?, tickets: TicketChoice, policy: SessionPolicy
    ) async throws(StoreError) -> Outcome {
        guard let show = try await services.theatre.shows([session.show]).first else {
            throw .rejected(.unknownShow)
        }
        let payment = try await services.bookings.beginPayment(
            session, believedHeld: believedHeld, shown: shown, tickets: tickets, policy: policy)
        let key = "\(session.id)-\(payment.attempt)"
        let amount = Money(minorUnits: payment.amount, currency: payment.currency)
        // With replicas to wait for, the card is not touched until they know of the payment: a failover could
        // otherwise lose the only record of an authorization, and nobody would void it.
        if let durability = services.durability,
            !(await isReplicated { () throws(StoreError) in
                try await services.bookings.awaitReplicas(of: session, durability: durability)
            })
        {
            logger.warning("payment not begun: the replicas did not confirm it", metadata: ["payment": "\(key)"])
            services.statistics.paymentFailed()
            return try await decline(session, payment: payment, reason: "UNAVAILABLE")
        }

        let record: PaymentRecord
        do {
            record = try await services.gateway.authorize(idempotencyKey: key, token: token, amount: amount)
        } catch {
            logger.error("payment gateway failed to authorize", metadata: ["payment": "\(key)", "error": "\(error)"])
            services.statistics.paymentFailed()
            return try await voidThenDecline(session, payment: payment, key: key, reason: "UNAVAILABLE")
        }
        guard record.state == .authorized else {
            let reason = record.declineReason ?? .declined
            services.statistics.paymentDeclined(reason)
            return try await decline(session, payment: payment, reason: reason.rawValue)
        }
        guard record.amount == amount else {
            logger.error(
                "gateway authorized another amount", metadata: ["payment": "\(key)", "amount": "\(record.amount)"])
            services.statistics.paymentFailed()
            return try await voidThenDecline(session, payment: payment, key: key, reason: "DECLINED")
        }
        services.statistics.paymentApproved()

        var booking: BookingID
        var ticket: TicketCode
        confirming: while true {
            switch try await confirm(session, payment: payment, showStart: show.start, amount: amount, key: key) {
            case .confirmed(let made, let code):
                booking = made
                ticket = code
                break confirming
            case .idTaken: continue confirming
            case .holdLost:
                logger.warning("hold lost during payment; voiding", metadata: ["session": "\(session.id)"])
                do {
                    try await services.gateway.void(idempotencyKey: key)
                    try await services.bookings.settleVoided(session)
                } catch {
                    logger.error(
                        "void failed; the reconciler will retry", metadata: ["payment": "\(key)", "error": "\(error)"])
                }
                throw .rejected(.holdLost)
            }
        }

        if let durability = services.durability,
            !(await isReplicated { () throws(StoreError) in
                try await services.bookings.awaitReplicas(of: booking, show: session.show, durability: durability)
            })
        {
            logger.warning(
                "booking confirmed but not yet on enough replicas; capture left to the reconciler",
                metadata: ["booking": "\(booking)", "replicas": "\(durability.replicas)"])
            return .notYetDurable
        }
        do {
            try await services.bookings.index(booking: booking, of: session, user: user, showStart: show.start)
            try await services.gateway.capture(idempotencyKey: key)
            try await services.bookings.settleCaptured(session, booking: booking)
        } catch {
            logger.error(
                "booking confirmed but not settled; the reconciler will finish it",
                metadata: ["booking": "\(booking)", "error": "\(error)"])
        }
        services.statistics.booked(seats: payment.seats.count)
        logger.info(
            "booked", metadata: ["booking": "\(booking)", "show": "\(session.show)", "seats": "\(payment.seats.count)"])
        return .booked(booking, seats: payment.seats.sorted(), ticket: ticket)
    }

    /// Confirms under a new booking id and ticket code, asking again with the same id, a few times, when Redis cannot be reached:
    /// the confirm script is idempotent by the attempt, so a retry after a reply lost on the way answers what the
    /// first call did rather than leaving a booking behind that nobody captures until the reconciler comes by.
    private func confirm(
        _ session: SessionRef, payment: PaymentStart, showStart: Timestamp, amount: Money, key: String
    ) async throws(StoreError) -> ConfirmOutcome {
        let booking = BookingID("BK" + RandomToken.base32(length: 10))!
        let ticket = TicketCode(show: session.show, randomHex: RandomToken.hex(byteCount: TicketCode.randomDigits / 2))!
        var tries = 0
        while true {
            do {
                return try await services.bookings.confirm(
                    session, payment: payment, booking: booking, ticket: ticket, showStart: showStart,
                    amount: amount.minorUnits,
                    currency: amount.currency, paymentKey: key)
            } catch .unavailable(let cause) where tries < Self.confirmRetries {
                tries += 1
                logger.warning("confirm not answered; asking again", metadata: ["error": "\(cause)"])
                try? await Task.sleep(for: .milliseconds(200 * tries))
            }
        }
    }

    /// How often a confirmation Redis did not answer is asked again before PAY gives up (the reconciler settles it).
    static let confirmRetries = 3

    /// Whether a record is on enough replicas to survive its primary's loss, asking three times (each waits up to
    /// the durability's timeout); a store that cannot say counts as no.
    private func isReplicated(_ check: () async throws(StoreError) -> Bool) async -> Bool {
        for _ in 0..<3 {
            if (try? await check()) == true { return true }
        }
        return false
    }

    /// Voids an attempt that may have been authorized, then declines it; if even the void fails, the session is
    /// left PAYING for the reconciler.
    private func voidThenDecline(_ session: SessionRef, payment: PaymentStart, key: String, reason: String)
        async throws(StoreError) -> Outcome
    {
        do {
            try await services.gateway.void(idempotencyKey: key)
        } catch {
            logger.error(
                "void failed; the reconciler will retry", metadata: ["payment": "\(key)", "error": "\(error)"])
            return .gatewayUnavailable
        }
        return try await decline(session, payment: payment, reason: reason)
    }

    private func decline(_ session: SessionRef, payment: PaymentStart, reason: String) async throws(StoreError)
        -> Outcome
    {
        switch try await services.bookings.declinePayment(session, payment: payment, reason: reason) {
        case .open(let attemptsLeft, let millisecondsLeft):
            return .declined(
                reason: reason, attemptsLeft: attemptsLeft,
                reopened: Selection(seats: payment.seats.sorted(), millisecondsLeft: millisecondsLeft))
        case .ended(let attemptsLeft):
            return .declined(reason: reason, attemptsLeft: attemptsLeft, reopened: nil)
        }
    }
}
