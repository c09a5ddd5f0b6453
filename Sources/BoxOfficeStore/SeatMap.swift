import BoxOfficeCore
import RedisClient

/// The seats on sale of one layout version of a show, in layout order (front row first, left to right): read from
/// Redis once per version and shared by every reading of the show's seats.
public final class SeatLayout: Sendable {
    /// The show's `layout_version` these seats belong to.
    public let version: String
    /// The seats on sale (blocked seats left out).
    public let seats: [Seat]
    /// Each seat's position in ``seats``, by its id as Redis keys name it.
    let positions: [String: Int]

    init(version: String, seats: [Seat]) {
        self.version = version
        self.seats = seats
        positions = Dictionary(
            seats.enumerated().map { ($0.element.id.description, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }
}

/// One reading of a show's seat map: every seat on sale and its state, as one session sees them.
public struct SeatMap: Sendable {
    /// The seats, in layout order.
    public let layout: SeatLayout
    /// The state of each seat of ``layout``, at the same position.
    public let states: [SeatState]

    /// Each seat with its kind and state.
    public var statuses: [SeatStatus] {
        zip(layout.seats, states).map { SeatStatus(seat: $0.id, kind: $0.kind, state: $1) }
    }
}

extension SeatMap {
    /// The seats of `layout` as `session` sees them (SELECTED for its own holds), from the replies to `HGETALL` of
    /// the show's hold index (an entry past its deadline, by Redis's clock `now`, is an expired hold) and `HKEYS`
    /// of its sold seats.
    init(layout: SeatLayout, holdIndex: RedisReply, sold: RedisReply, now: Int, for session: SessionID?) {
        var states = [SeatState](repeating: .available, count: layout.seats.count)
        let holds = holdIndex.array ?? []
        for entry in stride(from: 0, to: holds.count - 1, by: 2) {
            guard let seat = holds[entry].string, let position = layout.positions[seat],
                let hold = holds[entry + 1].string.flatMap(HoldIndexEntry.init), hold.deadline >= now
            else { continue }
            states[position] =
                session.map { hold.session == $0.rawValue } == true ? .selected : .temporarilyUnavailable
        }
        for seat in sold.array ?? [] {
            if let seat = seat.string, let position = layout.positions[seat] {
                states[position] = .permanentlyUnavailable
            }
        }
        self.init(layout: layout, states: states)
    }
}

/// An entry of a show's hold index: `<session-id> <deadline ms>`.
struct HoldIndexEntry {
    /// The holding session's id, as text.
    let session: Substring
    /// When the hold ends, in milliseconds since the epoch (Redis's clock).
    let deadline: Int

    /// Reads an entry; nil if it is out of form.
    init?(_ text: String) {
        guard let space = text.utf8.firstIndex(of: UInt8(ascii: " ")),
            let deadline = Int(text[text.index(after: space)...])
        else { return nil }
        session = text[..<space]
        self.deadline = deadline
    }
}
