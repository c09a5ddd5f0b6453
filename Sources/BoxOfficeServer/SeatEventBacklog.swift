import Synchronization

/// The seat events of one connection that wait for its loop: at most ``limit`` lines. Past that, later events are
/// folded into the latest state of each seat (and whether a show's layout changed), and once the loop has taken
/// every line that waited it sends those states itself. A slow kiosk may miss a seat's passing states, never its
/// last one, and never gets them out of order.
final class SeatEventBacklog: Sendable {
    /// Lines waiting for the loop at most, before later events are folded.
    static let limit = 1000

    private struct State {
        /// Lines handed to the loop and not taken yet.
        var waiting = 0
        /// Folded changes: the shows in the order they came, each seat's latest state in the order seats came.
        var shows: [Substring] = []
        var seats: [Substring: [Substring]] = [:]
        var states: [Substring: [Substring: Substring]] = [:]
        var layoutChanged: [Substring] = []

        var isFolding: Bool { !shows.isEmpty || !layoutChanged.isEmpty }

        /// Folds `EVENT SEATS <show> <seat>=<state> ...` or `EVENT LAYOUT <show>`.
        mutating func fold(_ line: String) {
            let words = line.split(separator: " ")
            guard words.count >= 3 else { return }
            let show = words[2]
            if words[1] == "LAYOUT" {
                if !layoutChanged.contains(show) { layoutChanged.append(show) }
                return
            }
            if states[show] == nil {
                shows.append(show)
                states[show] = [:]
            }
            for change in words.dropFirst(3) {
                guard let equals = change.firstIndex(of: "=") else { continue }
                let seat = change[..<equals]
                if states[show]![seat] == nil { seats[show, default: []].append(seat) }
                states[show]![seat] = change[change.index(after: equals)...]
            }
        }

        /// The folded changes as event lines, at most 64 seats a line, layout changes last; folding stops.
        mutating func drain() -> [String] {
            var lines: [String] = []
            for show in shows {
                let changes = (seats[show] ?? []).map { "\($0)=\(states[show]![$0]!)" }
                for start in stride(from: 0, to: changes.count, by: SeatWatch.seatsPerEvent) {
                    let part = changes[start..<min(start + SeatWatch.seatsPerEvent, changes.count)]
                    lines.append("EVENT SEATS \(show) " + part.joined(separator: " "))
                }
            }
            lines += layoutChanged.map { "EVENT LAYOUT \($0)" }
            self = State(waiting: waiting)
            return lines
        }
    }

    private let state = Mutex(State())

    /// Whether `line` goes to the loop now; false when it was folded instead.
    func admit(_ line: String) -> Bool {
        state.withLock { state in
            guard state.isFolding || state.waiting >= Self.limit else {
                state.waiting += 1
                return true
            }
            state.fold(line)
            return false
        }
    }

    /// Called by the loop for each line it takes: the folded changes to send next, once no line waits any more.
    func took() -> [String] {
        state.withLock { state in
            state.waiting -= 1
            guard state.waiting == 0, state.isFolding else { return [] }
            return state.drain()
        }
    }
}
