import Foundation

// MARK: A payment whose answer was lost: waiting for its outcome, never offering to pay twice

extension Kiosk {
    /// Said when a key is pressed while the kiosk waits for a payment's outcome.
    static let stillChecking = Notice("Please wait: we are still finding out whether your payment went through.")

    /// The connection was lost before `PAY` answered: whether it booked is for the box office to say. The session
    /// is no longer the kiosk's to use (it may be paying, or over); the payment screen gives way to
    /// "Checking your payment...", which the customer cannot leave, until the outcome is known.
    mutating func paymentAnswerLost() {
        payInFlight = false
        guard case .payment(let form) = screen, let session else { return }
        screen = .paymentInDoubt(PaymentInDoubt(form: form, sessionID: session.id, since: now))
        self.session = nil
    }

    /// Time passed while the outcome is awaited: ask again when it is time, or give up once
    /// ``paymentDoubtLimit`` has passed since the answer was lost.
    mutating func paymentDoubtTicked(_ doubt: PaymentInDoubt) -> [KioskAction] {
        var doubt = doubt
        if now.timeIntervalSince(doubt.since) >= Self.paymentDoubtLimit {
            doubt.stage = .gaveUp
            doubt.nextQuestionAt = nil
            screen = .paymentInDoubt(doubt)
            return []
        }
        guard link == .ready, !restoring, let next = doubt.nextQuestionAt, now >= next else { return [] }
        return askAboutPayment(doubt)
    }

    /// Asks the box office about the payment: `BOOKINGS` first, as the booking is the answer that matters most.
    mutating func askAboutPayment(_ doubt: PaymentInDoubt) -> [KioskAction] {
        var doubt = doubt
        doubt.nextQuestionAt = nil
        screen = .paymentInDoubt(doubt)
        return [send(.bookings)]
    }

    /// Asks again in ``paymentQuestionInterval`` seconds (unless the kiosk has given up).
    mutating func askAgainLater(_ doubt: PaymentInDoubt) -> [KioskAction] {
        var doubt = doubt
        if doubt.stage != .gaveUp { doubt.nextQuestionAt = now.addingTimeInterval(Self.paymentQuestionInterval) }
        screen = .paymentInDoubt(doubt)
        return []
    }

    /// `BOOKINGS` about a payment in doubt: the ticket once the booking is listed. Otherwise, while the session
    /// is known to have booked, read `BOOKINGS` again later; else ask what became of the session (`RESUME`).
    /// An answer that was out when the kiosk gave up still counts; no new question is asked after that.
    mutating func paymentDoubtBookings(_ doubt: PaymentInDoubt, _ reply: ServerReply) -> [KioskAction] {
        if reply.isOK, let booking = Booking.list(from: reply.data).first(where: doubt.isMade) {
            screen = .ticket(booking)
            return []
        }
        switch doubt.stage {
        case .checking: return [send(.resume(session: doubt.sessionID, show: doubt.form.map.showID))]
        case .booked, .gaveUp: return askAgainLater(doubt)
        }
    }

    /// `OK RESUMED` about a payment in doubt: the payment did not go through (declined while the kiosk was offline,
    /// say) and the seats are still held. Back to the payment form, which says so; the caller takes the session back.
    mutating func paymentDidNotGoThrough(_ doubt: PaymentInDoubt) {
        var form = doubt.form
        form.busy = false
        form.declined = "The payment did not go through; nothing was charged."
        screen = .payment(form)
        notice = Notice(
            "Your payment did not go through, and nothing was charged. Your seats are still held: you can pay again.",
            warning: true)
    }

    /// `RESUME` about a payment in doubt answered anything but `OK RESUMED`:
    ///
    /// - `ERR NO_SESSION PAYING`: the payment is still being settled; ask again later.
    /// - `ERR NO_SESSION BOOKED`: it booked; read `BOOKINGS` until the booking is listed.
    /// - `ERR NO_SESSION` (nothing more) or `ERR SESSION_EXPIRED`: the session ended without a booking, so nothing
    ///   was charged and the seats are free: say so, and open the show's seat map anew.
    /// - anything else (`UNAVAILABLE`, a detail this kiosk does not know): nothing is known; ask again later.
    mutating func paymentDoubtResumeFailed(_ doubt: PaymentInDoubt, _ reply: ServerReply) -> [KioskAction] {
        var doubt = doubt
        let detail = reply.words.dropFirst().first
        switch (reply.errorCode, detail) {
        case ("NO_SESSION", "BOOKED"?):
            if doubt.stage == .checking { doubt.stage = .booked }
            return askAgainLater(doubt)
        case ("NO_SESSION", nil), ("SESSION_EXPIRED", _):
            notice = Notice(
                "Your payment did not go through, so nothing was charged, and your seats were released. Please choose seats again.",
                warning: true)
            return startAgain(doubt.form.map.showID, on: doubt.form.map)
        default:
            return askAgainLater(doubt)
        }
    }
}
