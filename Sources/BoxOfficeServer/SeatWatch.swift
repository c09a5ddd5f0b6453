import BoxOfficeCore
import BoxOfficeStore
import Logging
import RedisClient
import Synchronization

/// Live seat maps for `WATCH`: for every show a connection of this daemon watches, it reads the show's seats again
/// whenever the show's audit stream moves (looked at every ``pollInterval``, one non-blocking `XREAD` per show, all
/// in one pipeline: each show's stream lives in its own Cluster slot), and at least every second (a hold that
/// expires by its TTL writes no entry), and tells each watching connection which seats changed, as `EVENT SEATS`
/// lines.
///
/// The events are a convenience: SEATS stays the truth. A watcher's first reading of a show is its baseline and
/// sends nothing, so a kiosk WATCHes first and then reads SEATS.
public final class SeatWatch: Sendable {
    /// Names one connection's watch, for ``unwatch(_:)``.
    public struct Token: Hashable, Sendable {
        fileprivate let value: Int
    }

    /// Where a watcher's event lines go.
    public typealias Sink = @Sendable (String) -> Void

    /// The most seats one `EVENT SEATS` line names; more changes make more lines.
    static let seatsPerEvent = 64
    /// How often every watched show is read again, whatever its audit stream says.
    static let refreshInterval: Duration = .seconds(1)
    /// Audit events that name seats without changing their state.
    static let leavesSeats: Set<String> = ["pay", "admit"]
    /// How often the watched shows' audit streams are looked at.
    static let pollInterval: Duration = .milliseconds(100)

    private struct Watcher {
        let show: ShowID
        let sink: Sink
    }

    /// A show's seats as last read: the layout (ids and kinds, in order) and each seat's state.
    private struct Snapshot: Equatable {
        var layout: [Seat]
        var states: [SeatID: SeatState]
    }

    private struct State {
        var nextToken = 0
        var watchers: [Token: Watcher] = [:]
        var snapshots: [ShowID: Snapshot] = [:]
        /// Each reading of seats takes a number before it reads; a reading older than the snapshot is dropped.
        var lastReading = 0
        var snapshotReadings: [ShowID: Int] = [:]
        /// The last audit entry id read per show.
        var positions: [ShowID: String] = [:]

        func isWatched(_ show: ShowID) -> Bool { watchers.values.contains { $0.show == show } }
    }

    private let state = Mutex(State())
    private let bookings: BookingStore
    private let keys: StoreKeys
    private let redis: RedisClient

    /// Creates a watch reading seats through `bookings` and audit streams through `redis`.
    public init(bookings: BookingStore, keys: StoreKeys, redis: RedisClient) {
        self.bookings = bookings
        self.keys = keys
        self.redis = redis
    }

    /// Starts sending `sink` the changes of `show`'s seats from now on: a show nobody watched yet is read once
    /// before this returns, so that a SEATS read after it misses no change.
    /// - Throws: ``BookingError/unknownShow``, or an unavailable store.
    public func watch(_ show: ShowID, sink: @escaping Sink) async throws(StoreError) -> Token {
        let token = state.withLock { state in
            state.nextToken += 1
            let token = Token(value: state.nextToken)
            state.watchers[token] = Watcher(show: show, sink: sink)
            return token
        }
        do throws(StoreError) {
            if state.withLock({ $0.snapshots[show] == nil }) {
                // Where the audit stream stands before the first reading: an entry written after it is read.
                do {
                    try await rememberPosition(of: show)
                } catch {
                    throw .unavailable(error)
                }
                try await refresh(show, named: [])
            }
        } catch {
            unwatch(token)
            throw error
        }
        return token
    }

    /// Stops a watch; a show nobody watches any more is forgotten.
    public func unwatch(_ token: Token) {
        state.withLock { state in
            guard let show = state.watchers.removeValue(forKey: token)?.show, !state.isWatched(show) else { return }
            state.snapshots[show] = nil
            state.snapshotReadings[show] = nil
            state.positions[show] = nil
        }
    }

    /// Follows the watched shows until the task is cancelled.
    public func run(logger: Logger) async {
        let clock = ContinuousClock()
        var lastFullRefresh = clock.now
        while !Task.isCancelled {
            let shows = state.withLock { Set($0.watchers.values.map(\.show)) }.sorted { $0.rawValue < $1.rawValue }
            guard !shows.isEmpty else {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            do {
                var moved = try await readAuditStreams(of: shows)
                if clock.now - lastFullRefresh >= Self.refreshInterval {
                    for show in shows where moved[show] == nil { moved[show] = [] }
                    lastFullRefresh = clock.now
                }
                for show in shows {
                    if let named = moved[show] { try await refresh(show, named: named) }
                }
                if moved.isEmpty { try? await Task.sleep(for: Self.pollInterval) }
            } catch {
                logger.warning("seat watch cannot read Redis; trying again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Reads the new audit entries of `shows`, one `XREAD` (never blocking) per show in one pipeline; returns the
    /// shows that have some, each with the seats its entries name.
    private func readAuditStreams(of shows: [ShowID]) async throws -> [ShowID: Set<String>] {
        var positions: [String] = []
        for show in shows {
            if state.withLock({ $0.positions[show] == nil }) { try await rememberPosition(of: show) }
            positions.append(state.withLock { $0.positions[show] } ?? "0-0")
        }
        let replies = try await redis.send(
            zip(shows, positions).map { show, position in
                RedisCommand("XREAD", "COUNT", "1000", "STREAMS", keys.audit(show), position)
            })
        var moved: [ShowID: Set<String>] = [:]
        for (show, reply) in zip(shows, replies) {
            guard let stream = reply.array?.first?.array, stream.count == 2, let entries = stream[1].array,
                let lastID = entries.last?.array?.first?.string
            else { continue }
            state.withLock { if $0.isWatched(show) { $0.positions[show] = lastID } }
            var named: Set<String> = []
            for entry in entries {
                guard let fields = entry.array?.last?.array?.compactMap(\.string) else { continue }
                let pairs = stride(from: 0, to: fields.count - 1, by: 2).map { (fields[$0], fields[$0 + 1]) }
                // A payment started or a door's admission names seats whose state it does not change.
                guard let event = pairs.first(where: { $0.0 == "event" })?.1, !Self.leavesSeats.contains(event)
                else { continue }
                for (field, value) in pairs where field == "seats" {
                    named.formUnion(value.split(separator: " ").map(String.init))
                }
            }
            moved[show] = named
        }
        return moved
    }

    /// Remembers the id of `show`'s last audit entry as where to read its stream from, unless a position is known.
    private func rememberPosition(of show: ShowID) async throws(RedisError) {
        let last = try await redis.send(RedisCommand("XREVRANGE", keys.audit(show), "+", "-", "COUNT", "1"))
        let position = last.array?.first?.array?.first?.string ?? "0-0"
        state.withLock { if $0.isWatched(show), $0.positions[show] == nil { $0.positions[show] = position } }
    }

    /// Reads `show`'s seats and tells its watchers what changed since the last reading, and the state now of every
    /// seat `named` by the audit entries read since: a seat held and freed again between two readings is told too,
    /// so that a kiosk whose seats were freed (a show withdrawn under its hold) hears it.
    private func refresh(_ show: ShowID, named: Set<String>) async throws(StoreError) {
        let reading = state.withLock { state in
            state.lastReading += 1
            return state.lastReading
        }
        let statuses = try await bookings.seatStates(of: show, for: nil)
        let now = Snapshot(
            layout: statuses.map { Seat(id: $0.seat, kind: $0.kind) },
            states: Dictionary(statuses.map { ($0.seat, $0.state) }, uniquingKeysWith: { first, _ in first }))
        let (lines, sinks): ([String], [Sink]) = state.withLock { state in
            let sinks = state.watchers.values.filter { $0.show == show }.map(\.sink)
            guard !sinks.isEmpty, reading > state.snapshotReadings[show] ?? 0 else { return ([], []) }
            let before = state.snapshots[show]
            state.snapshots[show] = now
            state.snapshotReadings[show] = reading
            guard let before else { return ([], sinks) }
            guard before.layout == now.layout else { return (["EVENT LAYOUT \(show)"], sinks) }
            let changed = now.layout.map(\.id).filter {
                before.states[$0] != now.states[$0] || named.contains($0.description)
            }
            return (Self.eventLines(show, changed.map { ($0, now.states[$0] ?? .available) }), sinks)
        }
        for line in lines {
            for sink in sinks { sink(line) }
        }
    }

    /// `EVENT SEATS <show-id> <seat-id>=<state> ...`, at most ``seatsPerEvent`` seats a line.
    static func eventLines(_ show: ShowID, _ changes: [(SeatID, SeatState)]) -> [String] {
        stride(from: 0, to: changes.count, by: seatsPerEvent).map { start in
            let part = changes[start..<min(start + seatsPerEvent, changes.count)]
            return "EVENT SEATS \(show) " + part.map { "\($0.0)=\($0.1.rawValue)" }.joined(separator: " ")
        }
    }
}
