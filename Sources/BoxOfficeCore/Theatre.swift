/// An auditorium: its rows of seats, front (row `A`, nearest the screen) to back.
public struct Screen: Hashable, Sendable {
    /// The screen's identifier, such as `1`.
    public let id: String
    /// The name shown to customers, such as `Grand`.
    public let name: String
    /// How many seats each row has, front row first.
    public let seatsPerRow: [Int]

    /// Creates a screen; rows are lettered from `A` in the order given.
    public init(id: String, name: String, seatsPerRow: [Int]) {
        self.id = id
        self.name = name
        self.seatsPerRow = seatsPerRow
    }

    /// Every seat, front row first, left to right.
    public var seats: [SeatID] {
        seatsPerRow.enumerated().flatMap { rowIndex, count in
            (1...max(count, 1)).prefix(count).compactMap { number in
                SeatID.rowName(at: rowIndex).flatMap { SeatID(row: $0, number: number) }
            }
        }
    }
}

/// A film the theatre shows.
public struct Movie: Hashable, Sendable {
    /// The movie's identifier.
    public let id: String
    /// The title shown to customers.
    public let title: String
    /// The running time in minutes.
    public let runtimeMinutes: Int

    /// Creates a movie.
    public init(id: String, title: String, runtimeMinutes: Int) {
        self.id = id
        self.title = title
        self.runtimeMinutes = runtimeMinutes
    }
}

/// One showing of a movie on a screen.
public struct Show: Hashable, Sendable {
    /// The show's identifier.
    public let id: ShowID
    /// The screen it plays on.
    public let screenID: String
    /// The movie it plays.
    public let movieID: String
    /// The movie's title, copied so a show line needs no second look-up.
    public let title: String
    /// When it starts; sales close then.
    public let start: Timestamp
    /// How long it runs, in minutes.
    public let durationMinutes: Int

    /// Creates a show.
    public init(
        id: ShowID, screenID: String, movieID: String, title: String, start: Timestamp,
        durationMinutes: Int
    ) {
        self.id = id
        self.screenID = screenID
        self.movieID = movieID
        self.title = title
        self.start = start
        self.durationMinutes = durationMinutes
    }

    /// When it ends.
    public var end: Timestamp { start.adding(seconds: durationMinutes * 60) }
}

/// A theatre's screens, movies and shows: what is loaded into the store as one programme.
public struct Theatre: Sendable {
    /// The theatre's name.
    public let name: String
    /// Its auditoriums.
    public let screens: [Screen]
    /// The movies it shows.
    public let movies: [Movie]
    /// Its shows, each on one of `screens`, playing one of `movies`.
    public let shows: [Show]

    /// Creates a theatre.
    public init(name: String, screens: [Screen], movies: [Movie], shows: [Show]) {
        self.name = name
        self.screens = screens
        self.movies = movies
        self.shows = shows
    }
}
