import BoxOfficeCore
import BoxOfficeStore
import Programme

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
    }

    /// The programme's theatre.
    public let theatre: String
    /// Whether nothing was written.
    public let dryRun: Bool
    /// One line per show: the programme's, then those withdrawn.
    public let shows: [Line]

    /// Whether some show's change was refused (load again with --force to apply it).
    public var hasRefusals: Bool { shows.contains { $0.change == "refused" } }

    public var text: String {
        var table = Table("SHOW", dryRun ? "WOULD BE" : "CHANGE", "BOOKED OR HELD SEATS TOUCHED")
        for line in shows where line.change != "unchanged" {
            table.add(line.show, line.change, line.seats.joined(separator: " "))
        }
        let counts = Dictionary(grouping: shows, by: \.change).mapValues(\.count)
        let summary = ["added", "updated", "unchanged", "withdrawn", "refused"].compactMap { change in
            counts[change].map { "\($0) \(change)" }
        }
        var text =
            printable(theatre) + ": " + summary.joined(separator: ", ") + (dryRun ? " (dry run: nothing written)" : "")
        text += "\n"
        if shows.contains(where: { $0.change != "unchanged" }) { text += table.text }
        if hasRefusals {
            text += "Refused: those changes drop, block or move booked or held seats. Load with --force to apply them: "
            text += "holds are freed, bookings are kept (cancel them with `boxofficectl cancel`).\n"
        } else if shows.contains(where: { !$0.seats.isEmpty && $0.change != "refused" }) {
            text += "Bookings on seats that left a layout are kept; contact those customers or cancel the bookings.\n"
        }
        return text
    }
}

extension Console {
    /// Loads `programme` as the whole programme from now on (see ``TheatreStore/load(_:options:)``).
    public func load(_ programme: Programme, options: LoadOptions) async throws(ConsoleError) -> LoadSummary {
        let report: LoadReport
        do {
            report = try await theatre.load(programme.theatre, options: options)
        } catch {
            throw .store(error)
        }
        let lines = report.shows.map { show, change in
            switch change {
            case .added: LoadSummary.Line(show: show.rawValue, change: "added", seats: [])
            case .updated(let forced): LoadSummary.Line(show: show.rawValue, change: "updated", seats: forced)
            case .unchanged: LoadSummary.Line(show: show.rawValue, change: "unchanged", seats: [])
            case .withdrawn(let forced): LoadSummary.Line(show: show.rawValue, change: "withdrawn", seats: forced)
            case .refused(let busy): LoadSummary.Line(show: show.rawValue, change: "refused", seats: busy)
            }
        }
        return LoadSummary(theatre: programme.theatre.name, dryRun: options.dryRun, shows: lines)
    }
}
