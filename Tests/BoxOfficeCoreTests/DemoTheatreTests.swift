import BoxOfficeCore
import Testing

@Suite("The demo theatre")
struct DemoTheatreTests {
    let now = Timestamp(secondsSinceEpoch: 1_795_850_000)  // 2026-11-28T07:13:20Z
    var theatre: Theatre { DemoTheatre.make(now: now) }

    @Test("Three screens of different sizes, the largest at least 200 seats, lettered rows")
    func screens() {
        let sizes = theatre.screens.map { $0.seats.count }
        #expect(sizes.count >= 3 && Set(sizes).count == sizes.count)
        #expect(sizes.max()! >= 200)
        let grand = theatre.screens.first { $0.seats.count == sizes.max() }!
        #expect(grand.seats.first?.id.description == "A1")
        #expect(grand.seats.contains(Seat(id: SeatID("C12")!, kind: .standard)))
    }

    @Test("The largest screen has aisles, wheelchair spaces in front and premium seats at the back, all priced")
    func seatKinds() {
        let grand = theatre.screens.max { $0.seats.count < $1.seats.count }!
        #expect(grand.rows.allSatisfy { $0.places.contains(.gap) })
        #expect(grand.rows.first?.seats.first?.kind == .wheelchair)
        #expect(grand.rows.last?.seats.allSatisfy { $0.kind == .premium } == true)
        for show in theatre.shows {
            #expect([SeatKind.standard, .premium, .wheelchair].allSatisfy { show.prices[$0] != nil })
        }
    }

    @Test("At least four movies, shows over the next seven days, the first within two hours")
    func programme() {
        #expect(theatre.movies.count >= 4)
        let starts = theatre.shows.map(\.start.secondsSinceEpoch)
        #expect(starts.min()! > now.secondsSinceEpoch && starts.min()! <= now.secondsSinceEpoch + 2 * 3600)
        #expect(starts.max()! >= now.secondsSinceEpoch + 6 * 86_400)
        #expect(starts.max()! <= now.secondsSinceEpoch + 7 * 86_400 + 3600)
        #expect(Set(theatre.shows.map(\.movieID)).count >= 4)
        #expect(Set(theatre.shows.map(\.id)).count == theatre.shows.count, "show ids are unique")
    }

    @Test("No two shows overlap on one screen, cleaning time included")
    func noOverlap() {
        for screen in theatre.screens {
            let shows = theatre.shows.filter { $0.screenID == screen.id }.sorted { $0.start < $1.start }
            #expect(shows.count > 7)
            for (earlier, later) in zip(shows, shows.dropFirst()) {
                #expect(
                    earlier.end.adding(seconds: DemoTheatre.cleaningMinutes * 60) <= later.start,
                    "\(earlier.id) and \(later.id) overlap on screen \(screen.id)")
            }
        }
    }
}
