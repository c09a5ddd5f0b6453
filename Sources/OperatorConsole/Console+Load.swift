import BoxOfficeCore
import BoxOfficeStore
import Programme
import RedisClient

/// What `load` did, or with `--dry-run` would do, to each show of a programme.
public struct LoadSummary: ConsoleReport {
    /// One show's outcome.
    public struct Line: Encodable, Sendable {
        /// The show's id.
        public let show: String
        /// `added`, `updated`, `unchanged`, `withdrawn` or `refused`.
        public let change: String
        /// The booked or held seats the change touched (`<seat>=booked|held`): forced, or why it was refused.
        public let seats: [String]
        /// Whether the show was one of the demo's (withdrawn whatever its seats).
        public let demo: Bool
    }

    /// The programme's theatre.
    public let theatre: String
    /// Whether nothing was written.
    public let dryRun: Bool
    /// One line per show: the programme's, then those withdrawn.
    public let shows: [Line]

    /// How many withdrawn shows the text names before it says "and N more".
    static let namedWithdrawals = 5

    /// Whether some show's change was refused (load again with --force naming the show to apply it).
    public var hasRefusals: Bool { shows.contains { $0.change == "refused" } }

    /// A count line, a table of the shows added, updated or refused, then the withdrawals summed up: how many, a
    /// few ids, and the booked or held seats they had.
    public var text: String {
        let counts = Dictionary(grouping: shows, by: \.change).mapValues(\.count)
        let summary = ["added", "updated", "unchanged", "withdrawn", "refused"].compactMap { change in
            counts[change].map { "\($0) \(change)" }
        }
        var text =
            printable(theatre) + ": " + summary.joined(separator: ", ") + (dryRun ? " (dry run: nothing written)" : "")
        text += "\n"
        var table = Table("SHOW", dryRun ? "WOULD BE" : "CHANGE", "BOOKED OR HELD SEATS TOUCHED")
        for line in shows where !["unchanged", "withdrawn"].contains(line.change) {
            table.add(line.show, line.change, line.seats.joined(separator: " "))
        }
        if !table.isEmpty { text += table.text }
        text += withdrawalText
        let refused = shows.filter { $0.change == "refused" }.map(\.show)
        if !refused.isEmpty {
            text += "Refused: those changes drop, block or move booked or held seats. To apply them, load again naming "
            text += "the shows to force: --force \(refused.map(printable).joined(separator: " ")) (holds are freed, "
            text += "bookings kept; cancel them with `boxofficectl cancel`).\n"
        }
        if shows.contains(where: { $0.change != "refused" && $0.seats.contains { $0.hasSuffix("=booked") } }) {
            text += "Bookings on seats that left a layout or on withdrawn shows are kept; contact those customers or "
            text += "cancel the bookings (`boxofficectl bookings --show SHOW`).\n"
        }
        return text
    }

    /// The withdrawals summed up in a line or two; empty when there are none.
    private var withdrawalText: String {
        let withdrawn = shows.filter { $0.change == "withdrawn" }
        guard !withdrawn.isEmpty else { return "" }
        let demo = withdrawn.filter(\.demo).count
        var text = dryRun ? "Would withdraw " : "Withdrawn: "
        text += withdrawn.count == 1 ? "1 show" : "\(withdrawn.count) shows"
        if demo > 0 { text += demo == withdrawn.count ? " (the demo's)" : " (\(demo) of them the demo's)" }
        text += ": " + Self.named(withdrawn.map(\.show)) + ".\n"
        let busy = withdrawn.filter { !$0.seats.isEmpty }
        guard !busy.isEmpty else { return text }
        let seats = busy.flatMap(\.seats)
        let booked = seats.filter { $0.hasSuffix("=booked") }.count
        let held = seats.count - booked
        text += "\(busy.count) of them had seats: \(booked) booked (kept), \(held) held ("
        text += dryRun ? "would be freed): " : "freed): "
        text +=
            Self.named(busy.map { "\($0.show) (\($0.seats.count) seat\($0.seats.count == 1 ? "" : "s"))" }) + ".\n"
        return text
    }

    /// The first few of `items`, then how many more: `1, 2, 3, 4, 5 and 152 more`.
    private static func named(_ items: [String]) -> String {
        let shown = items.prefix(namedWithdrawals).map(printable).joined(separator: ", ")
        let more = items.count - namedWithdrawals
        return more > 0 ? "\(shown) and \(more) more (--json lists them all)" : shown
    }
}

/// Why `load` wrote nothing.
public enum LoadError: Error, Sendable {
    /// Shows of the file that are new to Redis have already started by Redis's clock (and past shows were not
    /// allowed): an error per show, with its line.
    case programme(ProgrammeErrors)
    /// `--force` named shows that are neither in the file nor on sale.
    case unknownForced([ShowID])
    /// Redis could not be read or refused.
    case console(ConsoleError)
}

extension Console {
    /// Loads `programme` as the whole programme from now on (see ``TheatreStore/load(_:options:)``), after checking,
    /// before anything is written, that every show named in `options.force` is in the file or on sale and, unless
    /// `allowPast`, that no show new to Redis has already started.
    public func load(_ programme: Programme, options: LoadOptions, allowPast: Bool = false) async throws(LoadError)
        -> LoadSummary
    {
        let report: LoadReport
        do {
            let now = try await theatre.now()
            let inFile = Set(programme.theatre.shows.map(\.id))
            let onSale = Set(try await theatre.upcomingShows(after: now).map(\.id))
            let unknown = options.force.subtracting(inFile).subtracting(onSale)
            guard unknown.isEmpty else { throw LoadError.unknownForced(unknown.sorted { $0.rawValue < $1.rawValue }) }
            if !allowPast {
                let started = programme.theatre.shows.filter { $0.start <= now }.map(\.id)
                let loaded = try await existingShows(started)
                let errors = programme.errors(forStarted: Set(started).subtracting(loaded), now: now)
                guard errors.isEmpty else { throw LoadError.programme(ProgrammeErrors(errors)) }
            }
            report = try await theatre.load(programme.theatre, options: options)
        } catch let error as LoadError {
            throw error
        } catch let error as ConsoleError {
            throw .console(error)
        } catch let error as StoreError {
            throw .console(.store(error))
        } catch {
            throw .console(ConsoleError("\(error)"))
        }
        let lines = report.shows.map { show, change in
            switch change {
            case .added: LoadSummary.Line(show: show.rawValue, change: "added", seats: [], demo: false)
            case .updated(let forced):
                LoadSummary.Line(show: show.rawValue, change: "updated", seats: forced, demo: false)
            case .unchanged: LoadSummary.Line(show: show.rawValue, change: "unchanged", seats: [], demo: false)
            case .withdrawn(let forced, let demo):
                LoadSummary.Line(show: show.rawValue, change: "withdrawn", seats: forced, demo: demo)
            case .refused(let busy): LoadSummary.Line(show: show.rawValue, change: "refused", seats: busy, demo: false)
            }
        }
        return LoadSummary(theatre: programme.theatre.name, dryRun: options.dryRun, shows: lines)
    }

    /// The shows among `ids` that Redis has, withdrawn ones included.
    private func existingShows(_ ids: [ShowID]) async throws(ConsoleError) -> Set<ShowID> {
        guard !ids.isEmpty else { return [] }
        let replies = try await send(ids.map { RedisCommand("EXISTS", keys.show($0)) })
        return Set(zip(ids, replies).filter { $0.1.integer == 1 }.map(\.0))
    }
}
