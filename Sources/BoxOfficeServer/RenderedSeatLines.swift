import BoxOfficeStore
import NIOCore

/// The `SEAT <seat-id> <state> <kind>` lines of one show's layout version, rendered once for each state, so that a
/// SEATS reply is written as a few copies of runs of seats in one state rather than formatted seat by seat.
final class RenderedSeatLines: Sendable {
    /// The states in the order of ``lines``.
    private static let states: [SeatState] = [.available, .temporarilyUnavailable, .permanentlyUnavailable, .selected]

    /// The layout version rendered.
    let version: String
    /// For each state, every seat's line as if the seat were in that state, in layout order.
    private let lines: [[UInt8]]
    /// For each state, where each seat's line starts in its ``lines``, and the end of the last.
    private let offsets: [[Int]]

    init(_ layout: SeatLayout) {
        version = layout.version
        var lines: [[UInt8]] = []
        var offsets: [[Int]] = []
        for state in Self.states {
            var text: [UInt8] = []
            var starts: [Int] = []
            starts.reserveCapacity(layout.seats.count + 1)
            for seat in layout.seats {
                starts.append(text.count)
                text += "SEAT \(seat.id) \(state.rawValue) \(seat.kind.rawValue)\n".utf8
            }
            starts.append(text.count)
            lines.append(text)
            offsets.append(starts)
        }
        self.lines = lines
        self.offsets = offsets
    }

    /// The lines of `map`, whose layout must be the one rendered, and how many of its seats are available.
    func render(_ map: SeatMap) -> (lines: ByteBuffer, available: Int) {
        let count = map.states.count
        var buffer = ByteBufferAllocator().buffer(capacity: lines[1].count)
        var available = 0
        var runStart = 0
        while runStart < count {
            let state = map.states[runStart]
            var runEnd = runStart + 1
            while runEnd < count && map.states[runEnd] == state { runEnd += 1 }
            if state == .available { available += runEnd - runStart }
            let index = Self.index(of: state)
            _ = lines[index].withUnsafeBytes { bytes in
                buffer.writeBytes(
                    UnsafeRawBufferPointer(rebasing: bytes[offsets[index][runStart]..<offsets[index][runEnd]]))
            }
            runStart = runEnd
        }
        return (buffer, available)
    }

    private static func index(of state: SeatState) -> Int {
        switch state {
        case .available: 0
        case .temporarilyUnavailable: 1
        case .permanentlyUnavailable: 2
        case .selected: 3
        }
    }
}
