import Foundation

/// The list of shows on sale, browsed by day (a strip of days: today, tomorrow, then every further day that has
/// shows) or by film (every show of one film, whatever its day).
public struct ShowList: Hashable, Sendable {
    /// How the customer browses.
    public enum Browse: Hashable, Sendable {
        /// The shows of one day, grouped by film.
        case byDay
        /// The shows of one film, day by day.
        case byFilm
    }

    /// How the customer browses now.
    public var browse = Browse.byDay
    /// The days offered, each the start of a day in the theatre's time zone: today, tomorrow, and every later day
    /// with a show.
    public var days: [Date] = []
    /// The day chosen (an element of ``days``).
    public var day: Date?
    /// The films on sale, by title, in alphabetical order.
    public var films: [String] = []
    /// The film chosen (an element of ``films``).
    public var film: String?
    /// The shows of the chosen day or film, in the order drawn.
    public var shows: [ShowListing] = []
    /// Index into ``shows``.
    public var cursor = 0
    /// False until `SHOWS` answered.
    public var loaded = false
    /// True from the customer's pick until `START` answered: a second Enter must not open a second session.
    public var starting = false
    /// `PRICES` and `LAYOUT` requests for the shows drawn that have not answered yet: plain mode says the list
    /// once they have, not once per answer.
    public var detailsAwaited = 0

    /// An empty list, not loaded yet.
    public init() {}

    /// Fills the days, films and drawn shows from `listings` as seen at `now` in `timeZone`, keeping the chosen
    /// day, film and show where they still exist. With no day chosen yet it chooses today, or, when today has no
    /// show left, the next day that has one.
    public mutating func arrange(_ listings: [ShowListing], now: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let upcoming = listings.filter { $0.start > now }.sorted { ($0.start, $0.title) < ($1.start, $1.title) }
        let today = calendar.startOfDay(for: now)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today) ?? today
        let showDays = upcoming.map { calendar.startOfDay(for: $0.start) }
        days = Array(Set([today, tomorrow] + showDays)).sorted()
        if let chosen = day, chosen < today || !days.contains(chosen) { day = nil }
        if day == nil { day = showDays.first ?? today }
        films = Array(Set(upcoming.map(\.title))).sorted {
            $0.localizedStandardCompare($1) == .orderedAscending
        }
        if film == nil || !films.contains(film!) { film = films.first }
        let shownID = shows.indices.contains(cursor) ? shows[cursor].id : nil
        switch browse {
        case .byDay:
            let ofDay = upcoming.filter { calendar.startOfDay(for: $0.start) == day }
            let firstShowOfFilm = Dictionary(ofDay.map { ($0.title, $0.start) }, uniquingKeysWith: min)
            shows = ofDay.sorted {
                (firstShowOfFilm[$0.title]!, $0.title, $0.start) < (firstShowOfFilm[$1.title]!, $1.title, $1.start)
            }
        case .byFilm:
            shows = upcoming.filter { $0.title == film }
        }
        cursor = shows.firstIndex { $0.id == shownID } ?? min(cursor, max(0, shows.count - 1))
    }

    /// Chooses the day or film `offset` places along the strip (the day strip or the film strip, as browsed),
    /// stopping at its ends; the cursor goes to the first show.
    /// - Returns: false at an end of the strip (nothing changed).
    public mutating func step(_ offset: Int) -> Bool {
        switch browse {
        case .byDay:
            guard let index = days.firstIndex(where: { $0 == day }), days.indices.contains(index + offset) else {
                return false
            }
            day = days[index + offset]
        case .byFilm:
            guard let index = films.firstIndex(where: { $0 == film }), films.indices.contains(index + offset) else {
                return false
            }
            film = films[index + offset]
        }
        shows = []
        cursor = 0
        return true
    }
}
