import BoxOfficeCore
import BoxOfficeStore
import NIOCore
import Synchronization

/// The rendered seat lines of the shows read lately, one layout version per show.
final class SeatLineCache: Sendable {
    /// Shows kept at most (a 960-seat show's lines take about 170 KB); past it the cache starts again. A theatre's
    /// kiosks read the maps of a day or two of shows at a time.
    static let capacity = 64

    private let rendered = Mutex<[ShowID: RenderedSeatLines]>([:])

    /// The SEATS lines of `map`, a reading of `show`, and how many of its seats are available.
    func lines(of show: ShowID, _ map: SeatMap) -> (lines: ByteBuffer, available: Int) {
        let cached = rendered.withLock { $0[show] }
        if let cached, cached.version == map.layout.version { return cached.render(map) }
        let fresh = RenderedSeatLines(map.layout)
        rendered.withLock { rendered in
            if rendered.count >= Self.capacity { rendered.removeAll(keepingCapacity: true) }
            rendered[show] = fresh
        }
        return fresh.render(map)
    }
}
