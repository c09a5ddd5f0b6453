/// An auditorium: its rows of seats and aisles, front (nearest the screen) to back.
public struct Screen: Hashable, Sendable {
    /// The screen's identifier, such as `1`.
    public let id: String
    /// The name shown to customers, such as `Grand`.
    public let name: String
    /// Its rows, front row first.
    public let rows: [SeatRow]

    /// Creates a screen from its rows, front row first.
    public init(id: String, name: String, rows: [SeatRow]) {
        self.id = id
        self.name = name
        self.rows = rows
    }

    /// Creates a screen of standard seats without aisles; rows are lettered from `A` in the order given.
    public init(id: String, name: String, seatsPerRow: [Int]) {
        let rows = seatsPerRow.enumerated().compactMap { index, count in
            SeatID.rowName(at: index).map {
                SeatRow(name: $0, places: Array(repeating: .seat(.standard), count: count))
            }
        }
        self.init(id: id, name: name, rows: rows)
    }

    /// Every seat, front row first, left to right, blocked ones included.
    public var seats: [Seat] { rows.flatMap(\.seats) }

    /// The layout as one line of text, rows separated by `/`: `A ww_ssss_ww/B ssssssss` (see ``SeatRow/text``).
    public var layout: String { rows.map(\.text).joined(separator: "/") }
}

/// A seat of an auditorium and its kind.
public struct Seat: Hashable, Sendable {
    /// Its id, such as `C12`.
    public let id: SeatID
    /// Its kind.
    public let kind: SeatKind

    /// Creates a seat.
    public init(id: SeatID, kind: SeatKind) {
        self.id = id
        self.kind = kind
    }
}

/// One row of an auditorium, left to right as the audience sees it: seats, and gaps for aisles.
public struct SeatRow: Hashable, Sendable {
    /// A position along the row.
    public enum Place: Hashable, Sendable {
        /// A seat of this kind; seats are numbered from 1, left to right, gaps not counted.
        case seat(SeatKind)
        /// An aisle or gap, one seat wide.
        case gap
    }

    /// The row's letters, such as `A` or `AB`.
    public let name: String
    /// Its places, left to right.
    public let places: [Place]

    /// The most places one row may have.
    public static let maximumPlaces = 999

    /// Creates a row.
    public init(name: String, places: [Place]) {
        self.name = name
        self.places = places
    }

    /// Parses a row's text: its letters, a space, then one character per place, `s` standard, `p` premium,
    /// `w` wheelchair, `x` blocked, `_` a gap: `C ww_ssssss_ww`.
    /// - Throws: a message saying what is wrong.
    public init(parsing text: some StringProtocol) throws(LayoutError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw LayoutError("a row is its letters, a space and its places: \"C ss_ss\"") }
        guard SeatID(row: String(parts[0]), number: 1) != nil else {
            throw LayoutError("row \"\(parts[0])\" is not one or two capital letters")
        }
        guard parts[1].count <= Self.maximumPlaces else {
            throw LayoutError("row \(parts[0]) has more than \(Self.maximumPlaces) places")
        }
        var places: [Place] = []
        for character in parts[1] {
            if character == "_" {
                places.append(.gap)
            } else if let kind = SeatKind(symbol: character) {
                places.append(.seat(kind))
            } else {
                throw LayoutError("row \(parts[0]): \"\(character)\" is not s, p, w, x or _")
            }
        }
        guard places.contains(where: { $0 != .gap }) else { throw LayoutError("row \(parts[0]) has no seats") }
        self.init(name: String(parts[0]), places: places)
    }

    /// The rows of a layout as ``Screen/layout`` writes it (`A ww_ss/B ssss`), front row first; a row out of form
    /// is left out.
    public static func rows(inLayout text: some StringProtocol) -> [SeatRow] {
        text.split(separator: "/").compactMap { try? SeatRow(parsing: $0) }
    }

    /// The row as text, the form ``init(parsing:)`` reads.
    public var text: String {
        name + " "
            + String(
                places.map {
                    switch $0 {
                    case .seat(let kind): kind.symbol
                    case .gap: "_"
                    }
                })
    }

    /// The row's seats, left to right.
    public var seats: [Seat] {
        var number = 0
        return places.compactMap { place in
            guard case .seat(let kind) = place else { return nil }
            number += 1
            return SeatID(row: name, number: number).map { Seat(id: $0, kind: kind) }
        }
    }
}

/// A layout that cannot be read, and why.
public struct LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, for an operator.
    public let description: String

    /// Creates an error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// A film the theatre shows.
public struct Movie: Hashable, Sendable {
    /// The movie's identifier.
    public let id: String
    /// The title shown to customers.
    public let title: String
    /// The running time in minutes.
    public let runtimeMinutes: Int
    /// Its age rating as the theatre's country gives it, such as `12A`; empty when unrated.
    public let rating: String

    /// Creates a movie.
    public init(id: String, title: String, runtimeMinutes: Int, rating: String = "") {
        self.id = id
        self.title = title
        self.runtimeMinutes = runtimeMinutes
        self.rating = rating
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
    /// What its seats cost: the prices of its default ticket type.
    public let prices: PriceList
    /// The ticket types it sells, the default first (its prices are ``prices``); empty when the programme names
    /// none: every seat is then sold as ``TicketType/defaultID`` at its kind's price.
    public let ticketTypes: [TicketType]
    /// The VAT included in every price, in basis points (2000 is 20 %); nil when the programme states none.
    public let vatBasisPoints: Int?
    /// How many minutes before the start customers may last cancel their bookings themselves.
    public let cancelCutoffMinutes: Int

    /// The cut-off a programme that names none gets: two hours before the show.
    public static let defaultCancelCutoffMinutes = 120

    /// Creates a show.
    public init(
        id: ShowID, screenID: String, movieID: String, title: String, start: Timestamp,
        durationMinutes: Int, prices: PriceList, ticketTypes: [TicketType] = [], vatBasisPoints: Int? = nil,
        cancelCutoffMinutes: Int = Show.defaultCancelCutoffMinutes
    ) {
        self.id = id
        self.screenID = screenID
        self.movieID = movieID
        self.title = title
        self.start = start
        self.durationMinutes = durationMinutes
        self.prices = prices
        self.ticketTypes = ticketTypes
        self.vatBasisPoints = vatBasisPoints
        self.cancelCutoffMinutes = cancelCutoffMinutes
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
    /// The IANA name of the time zone its clocks show, such as `Europe/Paris`: customers see every time in it.
    public let timeZone: String

    /// Creates a theatre whose clocks show `timeZone` (an IANA name).
    public init(name: String, screens: [Screen], movies: [Movie], shows: [Show], timeZone: String = "UTC") {
        self.name = name
        self.screens = screens
        self.movies = movies
        self.shows = shows
        self.timeZone = timeZone
    }
}
