/// The demo theatre: three screens of different sizes (the largest with aisles, wheelchair spaces and premium
/// back rows), five movies, and a week of shows from now on, at 12 EUR a seat (16 premium).
public enum DemoTheatre {
    /// Minutes between one show's end and the next start on the same screen, for cleaning.
    public static let cleaningMinutes = 20

    /// Builds the demo programme starting at `now`: the first shows start within the next hour, the last ones
    /// a week later, every day from 10:00 to about midnight UTC, never two at once on one screen. Show ids are
    /// numbers from `firstShowNumber` on, so that a new week of demo shows never reuses the id of an old one.
    public static func make(now: Timestamp, firstShowNumber: Int = 1) -> Theatre {
        let screens = [
            Screen(
                id: "1", name: "Grand",
                rows: (0..<12).compactMap { index in
                    let seats: String =
                        switch index {
                        case 0: "ww_ssssssssssssss_ww"
                        case 8...11: "pp_pppppppppppppp_pp"
                        default: "ss_ssssssssssssss_ss"
                        }
                    return SeatID.rowName(at: index).flatMap { try? SeatRow(parsing: "\($0) \(seats)") }
                }),
            Screen(id: "2", name: "Studio", seatsPerRow: [10, 12, 12, 14, 14, 14, 14, 14]),
            Screen(id: "3", name: "Salon", seatsPerRow: Array(repeating: 8, count: 5)),
        ]
        let prices = PriceList(currency: "EUR", minorUnits: [.standard: 1200, .premium: 1600, .wheelchair: 1200])!
        let movies = [
            Movie(id: "m1", title: "The Last Reel", runtimeMinutes: 118),
            Movie(id: "m2", title: "Paper Moons", runtimeMinutes: 95),
            Movie(id: "m3", title: "Night Train to Lisbon", runtimeMinutes: 131),
            Movie(id: "m4", title: "Small Hours", runtimeMinutes: 87),
            Movie(id: "m5", title: "A Quiet Harbour", runtimeMinutes: 104),
        ]
        let firstStart = roundedUp(now.adding(seconds: 15 * 60), toMinutes: 15)
        let weekEnd = firstStart.adding(seconds: 7 * 86_400)
        var shows: [Show] = []
        var nextID = firstShowNumber
        for (screenIndex, screen) in screens.enumerated() {
            var start = firstStart.adding(seconds: screenIndex * 10 * 60)
            var movieIndex = screenIndex
            while start < weekEnd {
                let movie = movies[movieIndex % movies.count]
                if let id = ShowID(String(nextID)) {
                    shows.append(
                        Show(
                            id: id, screenID: screen.id, movieID: movie.id, title: movie.title,
                            start: start, durationMinutes: movie.runtimeMinutes, prices: prices))
                }
                nextID += 1
                movieIndex += 1
                let free = roundedUp(start.adding(seconds: (movie.runtimeMinutes + cleaningMinutes) * 60), toMinutes: 5)
                start = free.components.hour < 10 && free.components.hour >= 1 ? nextMorning(after: free) : free
            }
        }
        shows.sort { ($0.start, $0.screenID) < ($1.start, $1.screenID) }
        return Theatre(name: "BoxOffice Demo Cinema", screens: screens, movies: movies, shows: shows, timeZone: "UTC")
    }

    private static func roundedUp(_ time: Timestamp, toMinutes minutes: Int) -> Timestamp {
        let step = minutes * 60
        let seconds = time.secondsSinceEpoch
        return Timestamp(secondsSinceEpoch: (seconds + step - 1) / step * step)
    }

    private static func nextMorning(after time: Timestamp) -> Timestamp {
        let midnight = time.secondsSinceEpoch / 86_400 * 86_400
        return Timestamp(secondsSinceEpoch: midnight + 10 * 3600)
    }
}
