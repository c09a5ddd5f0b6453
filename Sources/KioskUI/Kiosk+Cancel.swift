// MARK: My bookings: cancelling a booking, with a confirmation step

extension Kiosk {
    /// The bookings listed on My bookings, when they are there.
    var listedBookings: [Booking] {
        if case .bookings(.loaded(let bookings)) = screen { bookings } else { [] }
    }

    /// A key on My bookings: Up and Down choose a booking, `c` asks to cancel it, then `y` cancels and `n` keeps it.
    /// - Returns: nil when the key is not about cancelling (the screen's other keys then apply).
    mutating func bookingChoiceKey(_ key: Key) -> [KioskAction]? {
        let bookings = listedBookings
        guard !bookings.isEmpty else { return nil }
        switch (bookingChoice.stage, key) {
        case (.choosing, .up): bookingChoice.index = max(bookingChoice.index - 1, 0)
        case (.choosing, .down): bookingChoice.index = min(bookingChoice.index + 1, bookings.count - 1)
        case (.choosing, .character("c")): bookingChoice.stage = .confirming
        case (.confirming, .character("y")): return confirmCancel()
        case (.confirming, .character("n")), (.confirming, .escape): bookingChoice.stage = .choosing
        case (.confirming, _), (.sending, _): break
        case (.choosing, _): return nil
        }
        return []
    }

    /// A line typed on My bookings in plain mode: `c <number>` asks to cancel that booking, then `y` or `n`.
    /// - Returns: nil when the line is not about cancelling.
    mutating func bookingChoiceLine(_ line: String) -> [KioskAction]? {
        let bookings = listedBookings
        guard !bookings.isEmpty else { return nil }
        let words = line.split(separator: " ")
        switch bookingChoice.stage {
        case .choosing:
            guard words.count == 2, words[0] == "c" else { return nil }
            guard let number = Int(words[1]), bookings.indices.contains(number - 1) else {
                notice = Notice("Please answer c and a booking's number, such as c 1.", warning: true)
                return []
            }
            bookingChoice = BookingChoice(index: number - 1, stage: .confirming)
        case .confirming:
            if line == "y" { return confirmCancel() }
            bookingChoice.stage = .choosing
        case .sending: break
        }
        return []
    }

    /// The customer said yes: sends CANCEL for the chosen booking.
    private mutating func confirmCancel() -> [KioskAction] {
        let bookings = listedBookings
        guard bookings.indices.contains(bookingChoice.index), link == .ready else {
            bookingChoice.stage = .choosing
            return []
        }
        bookingChoice.stage = .sending
        return [send(.cancel(booking: bookings[bookingChoice.index].id))]
    }

    /// `OK CANCELLED <booking> <show> <amount> <currency> <refund> <seats>...` or a refusal, said in words; the
    /// list is read again either way.
    mutating func cancelAnswered(_ booking: String, _ reply: ServerReply) -> [KioskAction] {
        bookingChoice = BookingChoice()
        guard case .bookings = screen else { return [] }
        let words = reply.words
        if reply.isOK, words.count >= 6, words[0] == "CANCELLED", let amount = Int(words[3]) {
            let money = Money.format(amount, words[4])
            notice = Notice(
                words[5] == "REFUNDED"
                    ? "Booking \(booking) is cancelled and \(money) refunded to your card."
                    : "Booking \(booking) is cancelled. The refund of \(money) will follow; staff can help.")
        } else {
            let text =
                switch reply.errorCode {
                case "CANCEL_CLOSED": "It is too late to cancel this booking here. Please ask at the box office."
                case "ALREADY_ADMITTED": "This booking was already used at the door, so it cannot be cancelled."
                case "UNKNOWN_BOOKING": "This booking is not among your bookings any more."
                default: Self.describe(reply)
                }
            notice = Notice(text, warning: true)
        }
        let kept = notice
        let actions = openBookings()
        notice = kept
        return actions
    }
}
