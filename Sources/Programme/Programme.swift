import BoxOfficeCore
import Foundation
import TOML

/// A theatre's programme read from a TOML file (docs/PROGRAMME.md): its screens, films, shows and prices, checked
/// as a whole before anything is written anywhere.
public struct Programme: Sendable {
    /// The theatre to load.
    public let theatre: Theatre
    /// The time zone in which the file gives start times.
    public let timeZone: TimeZone
    /// Minutes a screen needs between one show's end and the next start.
    public let cleaningMinutes: Int
    /// The file the programme was read from, as the operator named it.
    public let file: String
    /// Where each show's start is given in the file: its line and field.
    let starts: [ShowID: (line: Int, field: String)]

    /// Bounds that keep one file from exhausting the store or a script.
    public enum Limits {
        /// Screens per theatre.
        public static let screens = 100
        /// Rows per screen.
        public static let rows = 100
        /// Seats per screen.
        public static let seatsPerScreen = 2000
        /// Films per programme.
        public static let films = 2000
        /// Shows per programme.
        public static let shows = 20_000
        /// Longest runtime or show, in minutes.
        public static let minutes = 1440
        /// Longest cancellation cut-off, in minutes before the show: a week.
        public static let cancelCutoffMinutes = 10_080
        /// Longest cleaning gap, in minutes.
        public static let cleaningMinutes = 240
        /// Ticket types per programme.
        public static let ticketTypes = 8
        /// Longest name, title or rating, in bytes.
        public static let text = 200
    }

    /// Reads the programme in `text`; `file` names it in errors.
    /// - Throws: ``ProgrammeErrors`` listing every problem found, each with its line and field.
    public init(parsing text: String, file: String) throws(ProgrammeErrors) {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ProgrammeErrors([ProgrammeError(file: file, line: error.line, field: "", message: error.message)])
        }
        var reader = ProgrammeReader(file: file)
        let result = reader.read(document.root)
        guard reader.errors.isEmpty, let result else { throw ProgrammeErrors(reader.errors) }
        self = result
    }

    /// Reads the programme file at `path`; errors name the file by `path` as given.
    /// - Throws: ``ProgrammeErrors``, also when the file cannot be read (saying why).
    public init(contentsOf path: String) throws(ProgrammeErrors) {
        let file: ProgrammeFile
        do {
            file = try ProgrammeFile(path: path)
        } catch {
            throw ProgrammeErrors([error])
        }
        try self.init(parsing: file.text, file: path)
    }

    /// An error for each show among `shows` that starts at or before `now`, at the line of its start: a show that
    /// has already started sells nothing, and one not loaded before is most often a wrong date.
    public func errors(forStarted shows: Set<ShowID>, now: Timestamp) -> [ProgrammeError] {
        theatre.shows.filter { shows.contains($0.id) && $0.start <= now }.compactMap { show in
            starts[show.id].map { start in
                ProgrammeError(
                    file: file, line: start.line, field: start.field,
                    message: "\(show.start.local(in: timeZone)) has already passed (now \(now.local(in: timeZone))); "
                        + "check the date, or load with --allow-past")
            }
        }
    }

    init(
        theatre: Theatre, timeZone: TimeZone, cleaningMinutes: Int, file: String,
        starts: [ShowID: (line: Int, field: String)]
    ) {
        self.theatre = theatre
        self.timeZone = timeZone
        self.cleaningMinutes = cleaningMinutes
        self.file = file
        self.starts = starts
    }
}
