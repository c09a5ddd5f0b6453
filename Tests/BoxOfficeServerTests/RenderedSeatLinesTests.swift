import BoxOfficeCore
import NIOCore
import Testing

@testable import BoxOfficeServer
@testable import BoxOfficeStore

@Suite("SEATS lines rendered once per layout version")
struct RenderedSeatLinesTests {
    private let layout = SeatLayout(
        version: "7",
        seats: (1...30).map { Seat(id: SeatID(row: "C", number: $0)!, kind: $0 < 5 ? .wheelchair : .standard) })

    /// The lines as SEATS wrote them seat by seat before they were rendered in advance.
    private func formatted(_ map: SeatMap) -> String {
        map.statuses.map { "SEAT \($0.seat) \($0.state.rawValue) \($0.kind.rawValue)\n" }.joined()
    }

    @Test("Any mix of states renders exactly as formatting seat by seat, with the available seats counted")
    func sameAsFormatted() {
        let rendered = RenderedSeatLines(layout)
        let states: [SeatState] = [.available, .temporarilyUnavailable, .permanentlyUnavailable, .selected]
        var mixes: [[SeatState]] = states.map { Array(repeating: $0, count: 30) }
        for _ in 0..<50 { mixes.append((0..<30).map { _ in states.randomElement()! }) }
        for mix in mixes {
            let map = SeatMap(layout: layout, states: mix)
            let (lines, available) = rendered.render(map)
            #expect(String(buffer: lines) == formatted(map))
            #expect(available == mix.filter { $0 == .available }.count)
        }
    }

    @Test("A new layout version is rendered again; the cache never answers with another version's seats")
    func newVersion() {
        let cache = SeatLineCache()
        let show = ShowID("42")!
        let first = SeatMap(layout: layout, states: Array(repeating: .available, count: 30))
        #expect(cache.lines(of: show, first).available == 30)
        let smaller = SeatLayout(version: "8", seats: Array(layout.seats.prefix(10)))
        let second = SeatMap(layout: smaller, states: Array(repeating: .selected, count: 10))
        let (lines, available) = cache.lines(of: show, second)
        #expect(available == 0)
        #expect(String(buffer: lines) == formatted(second))
    }
}
