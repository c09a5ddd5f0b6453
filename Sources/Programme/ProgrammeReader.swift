import BoxOfficeCore
import Foundation
import TOML

/// Reads a parsed programme file into a ``Programme``, collecting every error instead of stopping at the first.
struct ProgrammeReader {
    let file: String
    private(set) var errors: [ProgrammeError] = []

    init(file: String) { self.file = file }

    /// The programme, or nil when anything is wrong (see ``errors``).
    mutating func read(_ root: TOMLTable) -> Programme? {
        allowOnly(["theatre", "ticket_types", "prices", "screens", "films", "shows"], in: root, path: "")
        guard let theatreTable = table(root["theatre"], "theatre", line: root.line) else { return nil }
        allowOnly(
            ["name", "time_zone", "currency", "cleaning_minutes", "vat_percent", "cancel_cutoff_minutes"],
            in: theatreTable, path: "theatre")
        let name = text(theatreTable, "name", path: "theatre")
        let zoneName = text(theatreTable, "time_zone", path: "theatre")
        let timeZone = zoneName.flatMap { zone in
            let found = TimeZone(identifier: zone)
            if found == nil {
                fail(theatreTable["time_zone"]?.line, "theatre.time_zone", "unknown time zone \"\(zone)\"")
            }
            return found
        }
        let currency = text(theatreTable, "currency", path: "theatre")
        if let currency, PriceList(currency: currency, minorUnits: [:]) == nil {
            fail(theatreTable["currency"]?.line, "theatre.currency", "not an ISO 4217 code such as EUR")
        }
        let cleaning =
            integer(
                theatreTable, "cleaning_minutes", path: "theatre", range: 0...Programme.Limits.cleaningMinutes,
                required: false) ?? 15
        let cancelCutoff =
            integer(
                theatreTable, "cancel_cutoff_minutes", path: "theatre", range: 0...Programme.Limits.cancelCutoffMinutes,
                required: false) ?? Show.defaultCancelCutoffMinutes

        let vat = vatBasisPoints(theatreTable["vat_percent"])
        let ticketTypes = readTicketTypes(root["ticket_types"])
        let priceLists = readPriceLists(root["prices"], ticketTypes: ticketTypes)
        let screens = readScreens(root["screens"], line: root.line)
        let films = readFilms(root["films"], line: root.line)
        let shows = readShows(
            root["shows"], line: root.line, screens: screens, films: films,
            sales: Sales(priceLists: priceLists, ticketTypes: ticketTypes, vatBasisPoints: vat),
            currency: currency ?? "", timeZone: timeZone, cancelCutoff: cancelCutoff)
        if let timeZone { checkOverlaps(shows, cleaningMinutes: cleaning, timeZone: timeZone) }

        guard errors.isEmpty, let name, let timeZone else { return nil }
        let theatre = Theatre(
            name: name, screens: screens.valid.map(\.screen), movies: films.valid.map(\.movie),
            shows: shows.map(\.show), timeZone: timeZone.identifier)
        let starts = Dictionary(
            shows.map { ($0.show.id, (line: $0.startLine, field: "\($0.path).start")) }, uniquingKeysWith: { a, _ in a }
        )
        return Programme(
            theatre: theatre, timeZone: timeZone, cleaningMinutes: cleaning, file: file, starts: starts)
    }

    // MARK: Sections

    private typealias Prices = [SeatKind: Int]

    /// A price list: the default ticket type's price per seat kind, and the other types' prices it sells.
    private struct PriceSet {
        var kinds: Prices = [:]
        var types: [String: Prices] = [:]
    }

    /// What every show's prices are read against: the named price lists, the ticket types and the VAT rate.
    private struct Sales {
        let priceLists: [String: (prices: PriceSet, line: Int)]
        let ticketTypes: [TicketType]
        let vatBasisPoints: Int?
    }

    private mutating func readPriceLists(_ value: TOMLValue?, ticketTypes: [TicketType])
        -> [String: (prices: PriceSet, line: Int)]
    {
        guard let value else { return [:] }
        guard let lists = table(value, "prices", line: value.line) else { return [:] }
        var result: [String: (prices: PriceSet, line: Int)] = [:]
        for key in lists.keys {
            guard let list = lists[key] else { continue }
            result[key] = (prices(list, path: "prices.\(key)", ticketTypes: ticketTypes), list.line)
        }
        return result
    }

    /// The `[[ticket_types]]`, in the file's order (the first is the default); none when the file names none.
    private mutating func readTicketTypes(_ value: TOMLValue?) -> [TicketType] {
        guard let value else { return [] }
        var result: [TicketType] = []
        for (index, entry) in tables(value, "ticket_types", line: value.line, limit: Programme.Limits.ticketTypes) {
            let path = "ticket_types[\(index + 1)]"
            allowOnly(["id", "name", "ratings", "companion"], in: entry, path: path)
            var id = text(entry, "id", path: path)
            if let text = id, !TicketType.isValidID(text) {
                fail(
                    entry["id"]?.line, "\(path).id",
                    "ticket type ids are 1-16 of a-z 0-9 _ -, and not a seat kind (standard, premium, wheelchair)")
                id = nil
            }
            if let text = id, result.contains(where: { $0.id == text }) {
                fail(entry["id"]?.line, "\(path).id", "ticket type \"\(text)\" is defined twice")
            }
            let name = text(entry, "name", path: path)
            let ratings = entry["ratings"] == nil ? nil : ratingList(entry, path: path)
            var companion = false
            if let flag = entry["companion"] {
                if let value = flag.bool {
                    companion = value
                } else {
                    fail(flag.line, "\(path).companion", "true or false")
                }
            }
            if index == 0, ratings != nil || companion {
                fail(
                    entry.line, path,
                    "the first ticket type is the default, sold for every film and seat: it has no ratings and is "
                        + "no companion ticket")
            }
            if let id, let name {
                result.append(TicketType(id: id, name: name, prices: [:], ratings: ratings, isCompanion: companion))
            }
        }
        return result
    }

    /// A ticket type's `ratings`: a list of ratings without spaces, such as `["U", "PG"]`.
    private mutating func ratingList(_ entry: TOMLTable, path: String) -> [String]? {
        guard let values = list(entry, "ratings", path: path, limit: 20) else { return nil }
        let ratings = values.compactMap { value -> String? in
            guard let rating = value.string, !rating.isEmpty, rating.utf8.count <= 16, !rating.contains(" ") else {
                fail(
                    value.line, "\(path).ratings",
                    "a rating is a string of 1 to 16 bytes without spaces, such as \"PG\"")
                return nil
            }
            return rating
        }
        return ratings.count == values.count ? ratings : nil
    }

    /// `[theatre] vat_percent`: the VAT included in every price, 0 to 100 with at most two decimals, in basis
    /// points; nil when the file states none.
    private mutating func vatBasisPoints(_ value: TOMLValue?) -> Int? {
        guard let value else { return nil }
        let percent = value.integer.map(Double.init) ?? value.float
        let basisPoints = percent.map { ($0 * 100).rounded() }
        guard let percent, let basisPoints, (0...10_000).contains(basisPoints), abs(percent * 100 - basisPoints) < 1e-6
        else {
            fail(value.line, "theatre.vat_percent", "a rate from 0 to 100 with at most two decimals, such as 20 or 5.5")
            return nil
        }
        return Int(basisPoints)
    }

    private struct ScreenEntry {
        let screen: Screen
        let line: Int
    }

    /// The screens that are valid, and the ids of every screen entry, valid or not: a show on a screen whose own
    /// fields are wrong is not reported again as on an unknown screen.
    private mutating func readScreens(_ value: TOMLValue?, line: Int) -> (valid: [ScreenEntry], declared: Set<String>) {
        var result: [ScreenEntry] = []
        var declared: Set<String> = []
        for (index, entry) in tables(value, "screens", line: line, limit: Programme.Limits.screens) {
            if let id = entry["id"]?.string { declared.insert(id) }
            let path = "screens[\(index + 1)]"
            allowOnly(["id", "name", "rows"], in: entry, path: path)
            let id = identifier(entry, "id", path: path)
            let name = text(entry, "name", path: path)
            if let id, result.contains(where: { $0.screen.id == id }) {
                fail(entry["id"]?.line, "\(path).id", "screen \"\(id)\" is defined twice")
            }
            guard let rowValues = list(entry, "rows", path: path, limit: Programme.Limits.rows) else { continue }
            var rows: [SeatRow] = []
            var seen: Set<SeatID> = []
            for (rowIndex, rowValue) in rowValues.enumerated() {
                let rowPath = "\(path).rows[\(rowIndex + 1)]"
                guard let rowText = rowValue.string else {
                    fail(rowValue.line, rowPath, "a row is a string such as \"A ss_ssss_ss\"")
                    continue
                }
                do {
                    let row = try SeatRow(parsing: rowText)
                    let duplicates = row.seats.map(\.id).filter { !seen.insert($0).inserted }
                    if !duplicates.isEmpty {
                        fail(
                            rowValue.line, rowPath,
                            "duplicate seat ids \(duplicates.prefix(5).map(\.description).joined(separator: " "))")
                    }
                    rows.append(row)
                } catch {
                    fail(rowValue.line, rowPath, error.description)
                }
            }
            if seen.count > Programme.Limits.seatsPerScreen {
                fail(entry["rows"]?.line, "\(path).rows", "more than \(Programme.Limits.seatsPerScreen) seats")
            }
            if let id, let name {
                result.append(ScreenEntry(screen: Screen(id: id, name: name, rows: rows), line: entry.line))
            }
        }
        return (result, declared)
    }

    private struct FilmEntry {
        let movie: Movie
        let line: Int
    }

    /// The films that are valid, and the ids of every film entry, valid or not: a show of a film whose own fields
    /// are wrong is not reported again as of an unknown film.
    private mutating func readFilms(_ value: TOMLValue?, line: Int) -> (valid: [FilmEntry], declared: Set<String>) {
        var result: [FilmEntry] = []
        var declared: Set<String> = []
        for (index, entry) in tables(value, "films", line: line, limit: Programme.Limits.films) {
            if let id = entry["id"]?.string { declared.insert(id) }
            let path = "films[\(index + 1)]"
            allowOnly(["id", "title", "runtime", "rating"], in: entry, path: path)
            let id = identifier(entry, "id", path: path)
            if let id, result.contains(where: { $0.movie.id == id }) {
                fail(entry["id"]?.line, "\(path).id", "film \"\(id)\" is defined twice")
            }
            let title = text(entry, "title", path: path)
            let runtime = integer(entry, "runtime", path: path, range: 1...Programme.Limits.minutes)
            let rating = entry["rating"] == nil ? "" : text(entry, "rating", path: path)
            if let rating, rating.contains(" ") {
                fail(entry["rating"]?.line, "\(path).rating", "a rating has no spaces, such as 12A")
            }
            if let id, let title, let runtime, let rating {
                result.append(
                    FilmEntry(
                        movie: Movie(id: id, title: title, runtimeMinutes: runtime, rating: rating), line: entry.line))
            }
        }
        return (result, declared)
    }

    private struct ShowEntry {
        let show: Show
        let startLine: Int
        let path: String
    }

    private mutating func readShows(
        _ value: TOMLValue?, line: Int, screens: (valid: [ScreenEntry], declared: Set<String>),
        films: (valid: [FilmEntry], declared: Set<String>),
        sales: Sales, currency: String, timeZone: TimeZone?, cancelCutoff: Int
    ) -> [ShowEntry] {
        var result: [ShowEntry] = []
        var ids: Set<ShowID> = []
        for (index, entry) in tables(value, "shows", line: line, limit: Programme.Limits.shows) {
            let path = "shows[\(index + 1)]"
            allowOnly(
                ["id", "film", "screen", "start", "duration", "prices", "cancel_cutoff_minutes"], in: entry, path: path)
            var id: ShowID?
            if let text = text(entry, "id", path: path) {
                id = ShowID(text)
                if id == nil { fail(entry["id"]?.line, "\(path).id", "show ids are 1-32 of A-Z a-z 0-9 _ -") }
            }
            if let id, !ids.insert(id).inserted {
                fail(entry["id"]?.line, "\(path).id", "show \"\(id)\" is defined twice")
            }
            let filmID = text(entry, "film", path: path)
            let film = filmID.flatMap { filmID in films.valid.first { $0.movie.id == filmID }?.movie }
            if let filmID, film == nil, !films.declared.contains(filmID) {
                fail(entry["film"]?.line, "\(path).film", "unknown film \"\(filmID)\"")
            }
            let screenID = text(entry, "screen", path: path)
            let screen = screenID.flatMap { screenID in screens.valid.first { $0.screen.id == screenID }?.screen }
            if let screenID, screen == nil, !screens.declared.contains(screenID) {
                fail(entry["screen"]?.line, "\(path).screen", "unknown screen \"\(screenID)\"")
            }
            let start = timeZone.flatMap { startTime(entry, path: path, timeZone: $0) }
            var duration = film?.runtimeMinutes
            if entry["duration"] != nil {
                duration = integer(entry, "duration", path: path, range: 1...Programme.Limits.minutes)
                if let duration, let film, duration < film.runtimeMinutes {
                    fail(
                        entry["duration"]?.line, "\(path).duration",
                        "\(duration) minutes is shorter than the film (\(film.runtimeMinutes) minutes)")
                }
            }
            let prices = showPrices(entry, path: path, screen: screen, sales: sales, currency: currency)
            let showCutoff =
                entry["cancel_cutoff_minutes"] == nil
                ? cancelCutoff
                : integer(entry, "cancel_cutoff_minutes", path: path, range: 0...Programme.Limits.cancelCutoffMinutes)
            if let id, let film, let screen, let start, let duration, let (priceList, typePrices) = prices,
                let showCutoff
            {
                let show = Show(
                    id: id, screenID: screen.id, movieID: film.id, title: film.title, start: start,
                    durationMinutes: duration, prices: priceList,
                    ticketTypes: Self.showTypes(sales.ticketTypes, defaultPrices: priceList, prices: typePrices),
                    vatBasisPoints: sales.vatBasisPoints, cancelCutoffMinutes: showCutoff)
                result.append(ShowEntry(show: show, startLine: entry["start"]?.line ?? entry.line, path: path))
            }
        }
        return result
    }

    /// The ticket types a show sells: the default with the price list's prices, then each other type its price
    /// list prices (a type the list leaves out is not sold at the show).
    private static func showTypes(_ types: [TicketType], defaultPrices: PriceList, prices: [String: Prices])
        -> [TicketType]
    {
        guard let first = types.first else { return [] }
        let others = types.dropFirst().compactMap { type in
            prices[type.id].map {
                TicketType(
                    id: type.id, name: type.name, prices: $0, ratings: type.ratings, isCompanion: type.isCompanion)
            }
        }
        return [TicketType(id: first.id, name: first.name, prices: defaultPrices.minorUnits)] + others
    }

    /// The show's price list (a named list from `[prices]` or an inline table, covering every kind of seat on sale
    /// on its screen) and the other ticket types' prices in it.
    private mutating func showPrices(
        _ entry: TOMLTable, path: String, screen: Screen?, sales: Sales, currency: String
    ) -> (PriceList, [String: Prices])? {
        guard let value = entry["prices"] else {
            fail(entry.line, "\(path).prices", "missing: name a list from [prices] or give { standard = 1200, ... }")
            return nil
        }
        let prices: PriceSet
        if let name = value.string {
            guard let list = sales.priceLists[name] else {
                fail(value.line, "\(path).prices", "unknown price list \"\(name)\"")
                return nil
            }
            prices = list.prices
        } else {
            prices = self.prices(value, path: "\(path).prices", ticketTypes: sales.ticketTypes)
        }
        if let screen {
            let kinds = Set(screen.seats.map(\.kind).filter(\.isForSale))
            for kind in kinds.sorted() where prices.kinds[kind] == nil {
                fail(
                    value.line, "\(path).prices",
                    "no price for \(kind.rawValue) seats, which screen \"\(screen.id)\" has")
            }
        }
        return PriceList(currency: currency, minorUnits: prices.kinds).map { ($0, prices.types) }
    }

    private mutating func startTime(_ entry: TOMLTable, path: String, timeZone: TimeZone) -> Timestamp? {
        guard let value = entry["start"] else {
            fail(entry.line, "\(path).start", "missing: a local date-time such as 2026-12-01T19:30:00")
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        let dateTime: TOMLLocalDateTime
        if let local = value.localDateTime {
            calendar.timeZone = timeZone
            dateTime = local
        } else if let offset = value.offsetDateTime, let zone = TimeZone(secondsFromGMT: offset.offsetMinutes * 60) {
            calendar.timeZone = zone
            dateTime = offset.dateTime
        } else if value.string != nil {
            fail(
                value.line, "\(path).start",
                "a quoted string, not a date-time: TOML date-times have no quotes, such as start = 2026-12-12T20:30:00")
            return nil
        } else {
            fail(value.line, "\(path).start", "not a date-time such as start = 2026-12-12T20:30:00 (no quotes)")
            return nil
        }
        let components = DateComponents(
            year: dateTime.date.year, month: dateTime.date.month, day: dateTime.date.day, hour: dateTime.time.hour,
            minute: dateTime.time.minute, second: dateTime.time.second)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date) == components
        else {
            fail(
                value.line, "\(path).start",
                "this local time does not exist in \(timeZone.identifier) (clocks go forward)")
            return nil
        }
        return Timestamp(secondsSinceEpoch: Int(date.timeIntervalSince1970))
    }

    /// Shows on one screen must not overlap, the cleaning gap included; times are told in the theatre's zone.
    private mutating func checkOverlaps(_ shows: [ShowEntry], cleaningMinutes: Int, timeZone: TimeZone) {
        for screenShows in Dictionary(grouping: shows, by: \.show.screenID).values {
            let ordered = screenShows.sorted { $0.show.start < $1.show.start }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                let free = earlier.show.end.adding(seconds: cleaningMinutes * 60)
                if free > later.show.start {
                    fail(
                        later.startLine, "\(later.path).start",
                        "overlaps show \"\(earlier.show.id)\" on screen \"\(later.show.screenID)\", which runs until "
                            + "\(earlier.show.end.local(in: timeZone)) and then needs \(cleaningMinutes) minutes' cleaning"
                    )
                }
            }
        }
    }

    // MARK: Values

    /// A price list: a price per seat kind, and for each ticket type other than the default a table of its
    /// prices per seat kind (`child = { standard = 800 }`).
    private mutating func prices(_ value: TOMLValue, path: String, ticketTypes: [TicketType]) -> PriceSet {
        var result = PriceSet()
        let (kinds, others) = prices(value, path: path)
        result.kinds = kinds
        for (key, price, path) in others {
            if let type = ticketTypes.dropFirst().first(where: { $0.id == key }) {
                let (typePrices, wrong) = prices(price, path: path)
                for (_, value, path) in wrong {
                    fail(value.line, path, "not a seat kind on sale: standard, premium or wheelchair")
                }
                result.types[type.id] = typePrices
            } else if ticketTypes.first?.id == key {
                fail(
                    price.line, path,
                    "\"\(key)\" is the default ticket type (the first of [[ticket_types]]): its prices are the "
                        + "list's standard, premium and wheelchair")
            } else {
                let types = ticketTypes.dropFirst().map(\.id)
                fail(
                    price.line, path,
                    "not a seat kind on sale (standard, premium, wheelchair)"
                        + (types.isEmpty ? "" : " or a ticket type (\(types.joined(separator: ", ")))"))
            }
        }
        return result
    }

    /// A table of prices per seat kind, and its entries whose key is not a seat kind on sale (key, value, path).
    private mutating func prices(_ value: TOMLValue, path: String) -> (Prices, [(String, TOMLValue, String)]) {
        guard let table = value.table else {
            fail(value.line, path, "prices are a table such as { standard = 1200, premium = 1500 }")
            return ([:], [])
        }
        var result: Prices = [:]
        var others: [(String, TOMLValue, String)] = []
        for key in table.keys {
            guard let price = table[key] else { continue }
            guard let kind = SeatKind(rawValue: key), kind.isForSale else {
                others.append((key, price, "\(path).\(key)"))
                continue
            }
            guard let minorUnits = price.integer, (0...Int64(PriceList.maximumPrice)).contains(minorUnits) else {
                fail(price.line, "\(path).\(key)", "a price is a whole number of minor units (cents), such as 1200")
                continue
            }
            result[kind] = Int(minorUnits)
        }
        return (result, others)
    }

    private mutating func table(_ value: TOMLValue?, _ path: String, line: Int) -> TOMLTable? {
        guard let value else {
            fail(line, path, "missing: a [\(path)] table")
            return nil
        }
        guard let table = value.table else {
            fail(value.line, path, "must be a table")
            return nil
        }
        return table
    }

    /// The tables of an array of tables (`[[name]]`), numbered from 0.
    private mutating func tables(_ value: TOMLValue?, _ path: String, line: Int, limit: Int)
        -> [(Int, TOMLTable)]
    {
        guard let value else {
            fail(line, path, "missing: at least one [[\(path)]]")
            return []
        }
        guard let array = value.array else {
            fail(value.line, path, "must be an array of tables: [[\(path)]]")
            return []
        }
        if array.count > limit { fail(value.line, path, "more than \(limit)") }
        return array.prefix(limit).enumerated().compactMap { index, element in
            guard let table = element.table else {
                fail(element.line, "\(path)[\(index + 1)]", "must be a table")
                return nil
            }
            return (index, table)
        }
    }

    private mutating func list(_ table: TOMLTable, _ key: String, path: String, limit: Int) -> [TOMLValue]? {
        guard let value = table[key] else {
            fail(table.line, "\(path).\(key)", "missing")
            return nil
        }
        guard let array = value.array, !array.isEmpty, array.count <= limit else {
            fail(value.line, "\(path).\(key)", "must be a list of 1 to \(limit) entries")
            return nil
        }
        return array
    }

    private mutating func text(_ table: TOMLTable, _ key: String, path: String) -> String? {
        guard let value = table[key] else {
            fail(table.line, "\(path).\(key)", "missing")
            return nil
        }
        guard let text = value.string, !text.isEmpty, text.utf8.count <= Programme.Limits.text,
            !text.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
        else {
            fail(value.line, "\(path).\(key)", "must be a string of 1 to \(Programme.Limits.text) bytes on one line")
            return nil
        }
        return text
    }

    private mutating func identifier(_ table: TOMLTable, _ key: String, path: String) -> String? {
        guard let text = text(table, key, path: path) else { return nil }
        guard ShowID(text) != nil else {
            fail(table[key]?.line, "\(path).\(key)", "ids are 1-32 of A-Z a-z 0-9 _ -")
            return nil
        }
        return text
    }

    private mutating func integer(
        _ table: TOMLTable, _ key: String, path: String, range: ClosedRange<Int>, required: Bool = true
    ) -> Int? {
        guard let value = table[key] else {
            if required { fail(table.line, "\(path).\(key)", "missing") }
            return nil
        }
        guard let number = value.integer, range.contains(Int(clamping: number)) else {
            fail(value.line, "\(path).\(key)", "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(number)
    }

    /// Flags keys the format does not know: most often a typing mistake that would otherwise pass unnoticed.
    private mutating func allowOnly(_ known: Set<String>, in table: TOMLTable, path: String) {
        for key in table.keys where !known.contains(key) {
            fail(
                table[key]?.line, path.isEmpty ? key : "\(path).\(key)",
                "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
    }

    private mutating func fail(_ line: Int?, _ field: String, _ message: String) {
        errors.append(ProgrammeError(file: file, line: line ?? 0, field: field, message: message))
    }
}
