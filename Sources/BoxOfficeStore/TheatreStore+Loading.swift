import BoxOfficeCore
import RedisClient

/// How a programme is loaded.
public struct LoadOptions: Sendable, Equatable {
    /// The shows whose changes or withdrawals may drop, block or move booked or held seats (their holds are freed,
    /// bookings always kept); every other show's such change is refused.
    public var force: Set<ShowID>
    /// Only report what would change.
    public var dryRun: Bool
    /// Mark the shows as the demo's: a later load that leaves one out withdraws it even while seats are booked or
    /// held, as if forced (holds freed, bookings kept), so the demo never blocks a theatre's first programme, and the
    /// demo's own later loads may change them so too. A theatre's load that rewrites one (a show with the same id)
    /// is refused while it has booked or held seats, unless forced: the theatre's show would open with the demo's
    /// bookings.
    public var demo: Bool

    /// Creates options; by default changes that touch booked or held seats are refused and everything is written.
    public init(force: Set<ShowID> = [], dryRun: Bool = false, demo: Bool = false) {
        self.force = force
        self.dryRun = dryRun
        self.demo = demo
    }
}

/// What loading a programme did, or would do, to each show.
public struct LoadReport: Sendable, Equatable {
    /// What happened to one show.
    public enum Change: Sendable, Equatable {
        /// A new show was put on sale.
        case added
        /// The show changed; `forced` lists the booked or held seats (`<seat>=booked|held`) the change touched.
        case updated(forced: [String])
        /// The show was already loaded as it is.
        case unchanged
        /// The show left the programme and was taken off sale; its bookings are kept. `forced` lists the booked or
        /// held seats it had (forced, or a demo show's); `demo` says whether it was one of the demo's shows.
        case withdrawn(forced: [String], demo: Bool)
        /// The change was refused: it would touch these booked or held seats. Load with force to apply it.
        case refused(busy: [String])
    }

    /// Each show's change, in the programme's order, then the withdrawn shows.
    public var shows: [(show: ShowID, change: Change)]
    /// Whether nothing was written.
    public let dryRun: Bool

    /// Whether some change was refused.
    public var hasRefusals: Bool {
        shows.contains {
            if case .refused = $0.change { true } else { false }
        }
    }

    public static func == (lhs: LoadReport, rhs: LoadReport) -> Bool {
        lhs.dryRun == rhs.dryRun && lhs.shows.map(\.show) == rhs.shows.map(\.show)
            && lhs.shows.map(\.change) == rhs.shows.map(\.change)
    }
}

extension TheatreStore {
    /// Loads `theatre` as the whole programme from now on: new shows go on sale, changed ones are rewritten, and
    /// upcoming shows missing from it are withdrawn. Each show is written by one script that first checks, in
    /// Redis, that no booked or held seat is dropped, blocked or moved (unless that show is forced, or is one of the
    /// demo's that leaves, or that the demo reloads), that a show taking over one of the demo's has none, and that
    /// nobody changed the show since it was read here; loading the same programme twice changes nothing.
    public func load(_ theatre: Theatre, options: LoadOptions = LoadOptions()) async throws(StoreError)
        -> LoadReport
    {
        let now = try await now()
        let screens = Dictionary(theatre.screens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let movies = Dictionary(theatre.movies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let programmeIDs = Set(theatre.shows.map(\.id))
        let leaving = try await upcomingShows(after: now).map(\.id).filter { !programmeIDs.contains($0) }

        var report = LoadReport(shows: [], dryRun: options.dryRun)
        for show in theatre.shows {
            guard let screen = screens[show.screenID] else { throw .unexpectedReply("show \(show.id): no screen") }
            let change = try await load(show, on: screen, movie: movies[show.movieID], options: options)
            report.shows.append((show.id, change))
        }
        for show in leaving {
            report.shows.append((show, try await withdraw(show, options: options)))
        }
        if !options.dryRun {
            try await writeDescriptions(of: theatre)
        }
        return report
    }

    /// The show's stored definition digest, screen, start and layout, and whether it is the demo's; nil when it was
    /// never loaded.
    private func stored(_ show: ShowID) async throws(StoreError) -> (
        definition: String, screen: String, start: String, rows: [SeatRow], demo: Bool
    )? {
        let reply = try await redis.run(
            RedisCommand("HMGET", keys.show(show), "definition", "screen", "start_epoch", "layout", "demo"))
        guard let fields = reply.array?.map(\.string), fields.count == 5, let layout = fields[3] else { return nil }
        let rows = SeatRow.rows(inLayout: layout)
        return (fields[0] ?? "", fields[1] ?? "", fields[2] ?? "", rows, fields[4] != nil)
    }

    /// Loads one show, refusing (unless forced) to drop, block or move its booked or held seats, or to take over a
    /// demo show that has any.
    func load(_ show: Show, on screen: Screen, movie: Movie?, options: LoadOptions) async throws(StoreError)
        -> LoadReport.Change
    {
        let before = try await stored(show.id)
        let fields = Self.fields(of: show, on: screen, movie: movie)
        let definition = fields.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        var affected: [SeatID] = []
        if let before {
            // A theatre's show over the demo's (same id) takes it over: every seat of it is checked, not only those
            // the new layout moves, so that none opens sold or held to the demo's customers unless forced.
            let takeover = before.demo && !options.demo
            if takeover || before.screen != screen.id || before.start != String(show.start.secondsSinceEpoch) {
                affected = before.rows.flatMap(\.seats).map(\.id)
            } else {
                affected = Self.seatsMoved(from: before.rows, to: screen.rows)
            }
        }
        let reply = try await redis.script(
            Scripts.loadShow,
            keys: [keys.show(show.id), keys.seats(show.id), keys.sold(show.id)]
                + affected.map { keys.hold(show.id, $0) } + keys.scriptTail(show.id),
            arguments: [
                before?.definition ?? "", definition, options.force.contains(show.id) ? "1" : "0",
                options.dryRun ? "1" : "0", options.demo ? "1" : "0", before?.demo == true ? "1" : "0",
                String(affected.count),
            ] + affected.map(\.description) + [String(fields.count)] + fields.flatMap { [$0.0, $0.1] }
                + screen.seats.flatMap { [$0.id.description, $0.kind.rawValue] })
        let change: LoadReport.Change
        switch reply.outcome {
        case "UNCHANGED": change = .unchanged
        case "BUSY": change = .refused(busy: reply.details)
        case "WOULD_CHANGE", "CHANGED": change = before == nil ? .added : .updated(forced: reply.details)
        case "CONFLICT": throw .unexpectedReply("show \(show.id) changed while loading; load again")
        default: throw .unexpectedReply("load_show: \(reply.outcome)")
        }
        // The index of shows lives in another Cluster slot than the show, so it is written after the script, and
        // on every load, changed or not: a show that dropped out of it (a crash between the two) is listed again.
        let start = reply.outcome == "CHANGED" ? String(show.start.secondsSinceEpoch) : before?.start
        if !options.dryRun, let start { try await index(show.id, start: start) }
        return change
    }

    /// Lists a show in the index of shows (`shows`), which kiosks, sweeps and operators read.
    func index(_ show: ShowID, start epoch: String) async throws(StoreError) {
        _ = try await redis.run(RedisCommand("ZADD", keys.shows, epoch, show.rawValue))
    }

    /// Lists again every show that has a payment to settle but has dropped out of the index of shows (a crash
    /// between a show's load and its listing), so that the payment sweep, which follows the index, finds it.
    /// Scans the keyspace: run it now and then, not on every sweep.
    /// - Returns: the shows listed again.
    public func repairIndex() async throws(StoreError) -> [ShowID] {
        let payingKeys: [String]
        do {
            payingKeys = try await redis.scan(matching: keys.payingPattern)
        } catch {
            throw .unavailable(error)
        }
        var repaired: [ShowID] = []
        for key in payingKeys {
            guard let show = keys.show(inKey: key),
                try await redis.run(RedisCommand("ZSCORE", keys.shows, show.rawValue)).string == nil,
                let start = try await redis.run(RedisCommand("HGET", keys.show(show), "start_epoch")).string
            else { continue }
            try await index(show, start: start)
            repaired.append(show)
        }
        return repaired
    }

    private func withdraw(_ show: ShowID, options: LoadOptions) async throws(StoreError) -> LoadReport.Change {
        // One reading of the definition and the layout, so a load between them cannot pass the script's check.
        let before = try await stored(show)
        let seats = before?.rows.flatMap(\.seats).map(\.id) ?? []
        let definition = before?.definition ?? ""
        let reply = try await redis.script(
            Scripts.withdrawShow,
            keys: [keys.show(show), keys.sold(show)] + seats.map { keys.hold(show, $0) } + keys.scriptTail(show),
            arguments: [definition, options.force.contains(show) ? "1" : "0", options.dryRun ? "1" : "0"]
                + seats.map(\.description))
        // The script's first detail after WOULD_CHANGE or CHANGED says whether the show was the demo's.
        let demo = reply.details.first == "demo"
        let forced = Array(reply.details.dropFirst())
        switch reply.outcome {
        case "BUSY": return .refused(busy: reply.details)
        case "WOULD_CHANGE": return .withdrawn(forced: forced, demo: demo)
        case "CHANGED":  // it stays listed in the shows sorted set: its bookings and payments are still looked after
            if let start = before?.start { try await index(show, start: start) }
            return .withdrawn(forced: forced, demo: demo)
        case "CONFLICT": throw .unexpectedReply("show \(show) changed while loading; load again")
        default: throw .unexpectedReply("withdraw_show: \(reply.outcome)")
        }
    }

    /// The theatre, screen and movie hashes: descriptions for operators, read by no seat rule.
    private func writeDescriptions(of theatre: Theatre) async throws(StoreError) {
        var commands = [
            RedisCommand(
                "HSET", keys.theatre, "name", theatre.name, "screens", String(theatre.screens.count),
                "shows", String(theatre.shows.count), "time_zone", theatre.timeZone)
        ]
        for screen in theatre.screens {
            commands.append(
                RedisCommand(
                    "HSET", keys.screen(screen.id), "id", screen.id, "name", screen.name, "layout", screen.layout,
                    "seats", String(screen.seats.filter(\.kind.isForSale).count)))
        }
        for movie in theatre.movies {
            commands.append(
                RedisCommand(
                    "HSET", keys.movie(movie.id), "id", movie.id, "title", movie.title,
                    "runtime_minutes", String(movie.runtimeMinutes), "rating", movie.rating))
        }
        let replies = try await redis.pipeline(commands)
        if let failure = replies.compactMap(\.errorMessage).first { throw .unexpectedReply(failure) }
    }

    /// The show hash's fields, in a fixed order: their text is the show's definition.
    static func fields(of show: Show, on screen: Screen, movie: Movie?) -> [(String, String)] {
        [
            ("id", show.id.rawValue), ("screen", screen.id), ("screen_name", screen.name), ("movie", show.movieID),
            ("title", show.title), ("rating", movie?.rating ?? ""), ("start", show.start.description),
            ("start_epoch", String(show.start.secondsSinceEpoch)), ("duration_minutes", String(show.durationMinutes)),
            ("layout", screen.layout), ("currency", show.prices.currency),
            ("cancel_cutoff_minutes", String(show.cancelCutoffMinutes)),
        ] + show.prices.minorUnits.sorted { $0.key < $1.key }.map { ("price:\($0.key.rawValue)", String($0.value)) }
            + ShowTicketFields.fields(of: show)
    }

    /// Seats of `old` that `new` drops, blocks or puts at another place (another row or position along it).
    static func seatsMoved(from old: [SeatRow], to new: [SeatRow]) -> [SeatID] {
        func places(_ rows: [SeatRow]) -> [SeatID: (row: Int, place: Int, kind: SeatKind)] {
            var result: [SeatID: (row: Int, place: Int, kind: SeatKind)] = [:]
            for (rowIndex, row) in rows.enumerated() {
                var number = 0
                for (placeIndex, place) in row.places.enumerated() {
                    guard case .seat(let kind) = place else { continue }
                    number += 1
                    if let id = SeatID(row: row.name, number: number) { result[id] = (rowIndex, placeIndex, kind) }
                }
            }
            return result
        }
        let after = places(new)
        return places(old).compactMap { seat, before in
            guard let now = after[seat], now.row == before.row, now.place == before.place,
                now.kind.isForSale || !before.kind.isForSale
            else { return seat }
            return nil
        }.sorted()
    }
}
