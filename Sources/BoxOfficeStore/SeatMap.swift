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

/// A show's holds and sold seats as one reading found them, by seat position in one layout version: kept by the
/// store for as long as the show's mark of changes stays the same, so that a SEATS of a show nobody changed reads
/// three small values from Redis rather than its whole hold index and sold seats; and its sold seats for as long
/// as the mark of sales stays the same, so that a change of holds does not read every sold seat again.
struct HoldsAndSales: Sendable {
    /// A hold: where its seat is in the layout, which session holds it, until when (Redis's clock, ms).
    struct Hold: Sendable {
        let position: Int
        let session: Substring
        let deadline: Int
    }

    /// The layout version the positions belong to.
    let layoutVersion: String
    /// The show's mark of changes (the hold index's `#changes`) when they were read.
    let changes: String
    /// The show's mark of sales (the hold index's `#sold`, empty when it had none) when the sold seats were read.
    let soldMark: String
    let holds: [Hold]
    let sold: [Int]

    /// Reads the reply to `HGETALL` of the show's hold index, beside sold seats read before or with it; entries
    /// for seats not in `layout` (and the index's marks) are left out.
    init(layout: SeatLayout, changes: String, holdIndex: RedisReply, soldMark: String, sold: [Int]) {
        layoutVersion = layout.version
        self.changes = changes
        self.soldMark = soldMark
        self.sold = sold
        let entries = holdIndex.array ?? []
        var holds: [Hold] = []
        holds.reserveCapacity(entries.count / 2)
        for entry in stride(from: 0, to: entries.count - 1, by: 2) {
            guard let seat = entries[entry].string, let position = layout.positions[seat],
                let hold = entries[entry + 1].string.flatMap(HoldIndexEntry.init)
            else { continue }
            holds.append(Hold(position: position, session: hold.session, deadline: hold.deadline))
        }
        self.holds = holds
    }

    /// The positions in `layout` of the seats in a reply to `HKEYS` of the show's sold seats.
    static func soldPositions(_ sold: RedisReply, in layout: SeatLayout) -> [Int] {
        (sold.array ?? []).compactMap { $0.string.flatMap { layout.positions[$0] } }
    }
}

extension SeatMap {
    /// The seats of `layout` as `session` sees them (SELECTED for its own holds) at `now` (Redis's clock, ms): a hold
    /// past its deadline has expired.
    init(layout: SeatLayout, reading: HoldsAndSales, now: Int, for session: SessionID?) {
        var states = [SeatState](repeating: .available, count: layout.seats.count)
        for hold in reading.holds where hold.deadline >= now {
            states[hold.position] =
                session.map { hold.session == $0.rawValue } == true ? .selected : .temporarilyUnavailable
        }
        for position in reading.sold { states[position] = .permanentlyUnavailable }
        self.init(layout: layout, states: states)
    }

    /// The seats of `layout` as nobody's session sees them, from the replies to `HGETALL` of the show's hold index
    /// and `HKEYS` of its sold seats.
    init(layout: SeatLayout, holdIndex: RedisReply, sold: RedisReply, now: Int) {
        let reading = HoldsAndSales(
            layout: layout, changes: "", holdIndex: holdIndex, soldMark: "",
            sold: HoldsAndSales.soldPositions(sold, in: layout))
        self.init(layout: layout, reading: reading, now: now, for: nil)
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
