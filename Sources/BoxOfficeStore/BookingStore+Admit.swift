import BoxOfficeCore
import RedisClient

/// Who a door let in: the booking, its customer, its show and seats.
public struct AdmittedBooking: Sendable, Equatable {
    /// The booking admitted.
    public let booking: BookingID
    /// Its customer.
    public let user: String
    /// The show, its screen and its start.
    public let show: ShowID
    public let screen: String
    public let start: Timestamp
    /// The seats booked.
    public let seats: [SeatID]
}

/// What a door's scan of a ticket came to.
public enum AdmitOutcome: Sendable, Equatable {
    /// Let them in: admitted now.
    case admitted(AdmittedBooking)
    /// No booking has this ticket code.
    case unknownTicket
    /// The show is on `screen`, which is not this door's.
    case wrongScreen(screen: String)
    /// The booking was cancelled: the ticket is void.
    case cancelled
    /// Admitted before, at `at` (Unix ms) by the door `door`.
    case alreadyAdmitted(at: Int, door: String)
    /// The door opens for this show at `opensAt` (Unix ms).
    case notYetOpen(opensAt: Int)
    /// The show is long over: its door closed at `closedAt` (Unix ms).
    case showOver(closedAt: Int)
}

extension BookingStore {
    /// Admits the holders of `ticket` at `door`, once, in one atomic step in the show's slot (two doors scanning the
    /// same ticket at once: one admits, the other hears when and where). The code's booking is looked up first; the
    /// code never changes its booking, and the script checks the pair again.
    /// - Parameters:
    ///   - screens: the door's screens; nil for every screen.
    ///   - entry: when, around the show, the door admits.
    public func admit(_ ticket: TicketCode, door: KioskID, screens: Set<String>?, entry: EntryWindow)
        async throws(StoreError) -> AdmitOutcome
    {
        let show = ticket.show
        guard let id = try await redis.run(RedisCommand("HGET", keys.tickets(show), ticket.rawValue)).string,
            let booking = BookingID(id)
        else { return .unknownTicket }
        let reply = try await redis.script(
            Scripts.admit,
            keys: [keys.tickets(show), keys.booking(show, booking), keys.show(show)] + keys.scriptTail(show),
            arguments: [
                ticket.rawValue, booking.rawValue, door.rawValue, (screens ?? []).sorted().joined(separator: " "),
                String(entry.opensMinutesBeforeStart * 60_000), String(entry.closesMinutesAfterEnd * 60_000),
            ])
        switch reply.outcome {
        case "ADMITTED":
            guard reply.details.count == 4, let start = Int(reply.details[2]) else {
                throw .unexpectedReply("admit: \(reply.details)")
            }
            return .admitted(
                AdmittedBooking(
                    booking: booking, user: reply.details[0], show: show, screen: reply.details[1],
                    start: Timestamp(secondsSinceEpoch: start),
                    seats: reply.details[3].split(separator: " ").compactMap { SeatID($0) }))
        case "UNKNOWN_TICKET": return .unknownTicket
        case "WRONG_SCREEN": return .wrongScreen(screen: reply.details.first ?? "")
        case "CANCELLED": return .cancelled
        case "ALREADY":
            return .alreadyAdmitted(at: try reply.integer(at: 0), door: reply.details.count > 1 ? reply.details[1] : "")
        case "NOT_YET_OPEN": return .notYetOpen(opensAt: try reply.integer(at: 0))
        case "SHOW_OVER": return .showOver(closedAt: try reply.integer(at: 0))
        default: throw .unexpectedReply("admit: \(reply.outcome)")
        }
    }
}
