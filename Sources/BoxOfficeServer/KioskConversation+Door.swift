import BoxOfficeCore
import BoxOfficeStore
import KioskProtocol

extension KioskConversation {
    /// `ADMIT <ticket-code>` (door kiosks only) → `OK ADMITTED <booking-id> <show-id> <screen-id> <start> <user>
    /// <seat-id>...` | `ERR UNKNOWN_TICKET` | `ERR WRONG_SCREEN <screen-id>` | `ERR BOOKING_CANCELLED`
    /// | `ERR ALREADY_ADMITTED <when> <door>` | `ERR NOT_YET_OPEN <opens>` | `ERR SHOW_OVER <closed>`; times are
    /// ISO 8601 UTC. Decided and recorded in one script in the show's slot.
    func admit(_ code: TicketCode, door: KioskID, screens: Set<String>?, entry: EntryWindow)
        async throws(StoreError) -> Response
    {
        let outcome = try await services.bookings.admit(code, door: door, screens: screens, entry: entry)
        switch outcome {
        case .admitted(let admission):
            logger.info(
                "admitted", metadata: ["booking": "\(admission.booking)", "show": "\(admission.show)"])
            return .ok(
                Wire.sanitized(
                    "ADMITTED \(admission.booking) \(admission.show) \(admission.screen) \(admission.start) "
                        + "\(admission.user) \(Wire.list(admission.seats))"))
        case .unknownTicket: return .error(.unknownTicket)
        case .wrongScreen(let screen): return .error(.wrongScreen, screen)
        case .cancelled: return .error(.bookingCancelled)
        case .alreadyAdmitted(let at, let door): return .error(.alreadyAdmitted, "\(Self.iso(at)) \(door)")
        case .notYetOpen(let opensAt): return .error(.notYetOpen, Self.iso(opensAt))
        case .showOver(let closedAt): return .error(.showOver, Self.iso(closedAt))
        }
    }

    /// A Unix time in ms as ISO 8601 UTC, to the second.
    private static func iso(_ milliseconds: Int) -> String {
        Timestamp(secondsSinceEpoch: milliseconds / 1000).description
    }
}
