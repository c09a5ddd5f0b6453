import BoxOfficeCore
import Foundation
import Programme
import Testing

@Suite("Programme files: reading and validation")
struct ProgrammeTests {
    /// A small valid programme; tests break it one line at a time.
    static let valid = """
        [theatre]
        name = "Test Cinema"
        time_zone = "Europe/Berlin"
        currency = "EUR"
        cleaning_minutes = 15

        [prices.evening]
        standard = 1200
        premium = 1500
        wheelchair = 1200

        [[screens]]
        id = "1"
        name = "One"
        rows = ["A w_ss", "B pp_p"]

        [[films]]
        id = "f"
        title = "Film"
        runtime = 100
        rating = "12"

        [[shows]]
        id = "s1"
        film = "f"
        screen = "1"
        start = 2026-12-01T19:30:00
        prices = "evening"

        [[shows]]
        id = "s2"
        film = "f"
        screen = "1"
        start = 2026-12-01T21:30:00
        duration = 110
        prices = { standard = 1000, premium = 1300, wheelchair = 1000 }
        """

    @Test("A valid file: layout, kinds, local start times in the theatre's zone, prices, defaults")
    func validFile() throws {
        let programme = try Programme(parsing: Self.valid, file: "p.toml")
        let theatre = programme.theatre
        #expect(theatre.name == "Test Cinema" && programme.cleaningMinutes == 15)
        let screen = try #require(theatre.screens.first)
        #expect(screen.layout == "A w_ss/B pp_p")
        #expect(screen.seats.map(\.id.description) == ["A1", "A2", "A3", "B1", "B2", "B3"])
        #expect(screen.seats.map(\.kind) == [.wheelchair, .standard, .standard, .premium, .premium, .premium])
        #expect(theatre.movies.first?.rating == "12")
        let first = try #require(theatre.shows.first)
        #expect(first.start.description == "2026-12-01T18:30:00Z", "19:30 in Berlin in winter is 18:30 UTC")
        #expect(first.durationMinutes == 100, "the film's runtime when no duration is given")
        #expect(first.prices.currency == "EUR" && first.prices[.premium] == 1500)
        #expect(theatre.shows.last?.durationMinutes == 110 && theatre.shows.last?.prices[.standard] == 1000)
    }

    @Test("The shipped example programme is valid: two screens, two films, four shows")
    func shippedExample() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/examples/programme.toml").standardized.path
        let programme = try Programme(contentsOf: path)
        #expect(programme.theatre.screens.count == 2 && programme.theatre.movies.count == 2)
        #expect(programme.theatre.shows.count == 4)
        let main = try #require(programme.theatre.screens.first)
        #expect(main.seats.contains { $0.kind == .blocked } && main.rows.allSatisfy { $0.places.contains(.gap) })
        #expect(programme.theatre.shows[0].start.description == "2026-12-12T14:00:00Z")
    }

    /// One line of the valid file replaced, and the error expected: line, field, and a part of the message.
    static let broken: [(replace: String, with: String, line: Int, field: String, message: String)] = [
        (
            "screen = \"1\"\nstart = 2026-12-01T19:30", "screen = \"Z\"\nstart = 2026-12-01T19:30", 26,
            "shows[1].screen",
            "unknown screen \"Z\""
        ),
        (
            "film = \"f\"\nscreen = \"1\"\nstart = 2026-12-01T21",
            "film = \"g\"\nscreen = \"1\"\nstart = 2026-12-01T21", 32,
            "shows[2].film", "unknown film \"g\""
        ),
        (
            "start = 2026-12-01T21:30:00", "start = 2026-12-01T21:20:00", 34, "shows[2].start",
            "overlaps show \"s1\" on screen \"1\", which runs until 2026-12-01T21:10:00 (Europe/Berlin) and then"
        ),
        (
            "start = 2026-12-01T19:30:00", "start = \"2026-12-01T19:30:00\"", 27, "shows[1].start",
            "TOML date-times have no quotes, such as start = 2026-12-12T20:30:00"
        ),
        ("duration = 110", "duration = 90", 35, "shows[2].duration", "shorter than the film"),
        (
            "rows = [\"A w_ss\", \"B pp_p\"]", "rows = [\"A w_ss\", \"A pp_p\"]", 15, "screens[1].rows[2]",
            "duplicate seat ids A1 A2 A3"
        ),
        ("premium = 1500\n", "", 27, "shows[1].prices", "no price for premium seats, which screen \"1\" has"),
        (
            "time_zone = \"Europe/Berlin\"", "time_zone = \"Europe/Atlantis\"", 3, "theatre.time_zone",
            "unknown time zone"
        ),
        ("currency = \"EUR\"", "currency = \"euro\"", 4, "theatre.currency", "ISO 4217"),
        ("runtime = 100", "runtime = \"100\"", 20, "films[1].runtime", "whole number"),
        ("rating = \"12\"", "rating = \"12\"\ntitel = \"x\"", 22, "films[1].titel", "unknown field"),
        ("rows = [\"A w_ss\", \"B pp_p\"]", "rows = [\"A w_sq\"]", 15, "screens[1].rows[1]", "\"q\" is not s, p, w, x"),
        ("start = 2026-12-01T19:30:00", "start = 2026-03-29T02:30:00", 27, "shows[1].start", "does not exist"),
        ("id = \"s2\"", "id = \"s1\"", 31, "shows[2].id", "defined twice"),
        ("standard = 1200\n", "standard = -5\n", 8, "prices.evening.standard", "whole number of minor units"),
        ("name = \"Test Cinema\"", "name = \"Test \\u0007Cinema\"", 2, "theatre.name", "one line"),
        (
            "cleaning_minutes = 15", "cleaning_minutes = 15\ncancel_cutoff_minutes = -1", 6,
            "theatre.cancel_cutoff_minutes", "whole number"
        ),
        (
            "duration = 110", "duration = 110\ncancel_cutoff_minutes = 20000", 36, "shows[2].cancel_cutoff_minutes",
            "10080"
        ),
    ]

    @Test("The customers' cancellation cut-off: 2 hours by default, the theatre's, or the show's own")
    func cancelCutoff() throws {
        #expect(
            try Programme(parsing: Self.valid, file: "p.toml").theatre.shows.map(\.cancelCutoffMinutes) == [120, 120])
        let text = Self.valid
            .replacingOccurrences(
                of: "cleaning_minutes = 15", with: "cleaning_minutes = 15\ncancel_cutoff_minutes = 45"
            )
            .replacingOccurrences(of: "duration = 110", with: "duration = 110\ncancel_cutoff_minutes = 0")
        #expect(try Programme(parsing: text, file: "p.toml").theatre.shows.map(\.cancelCutoffMinutes) == [45, 0])
    }

    @Test("Each error names the file, the line and the field", arguments: broken.indices)
    func validation(index: Int) throws {
        let broken = Self.broken[index]
        #expect(Self.valid.contains(broken.replace), "the test's text to replace is in the valid file")
        let text = Self.valid.replacingOccurrences(of: broken.replace, with: broken.with)
        let errors = try #require(throws: ProgrammeErrors.self) { try Programme(parsing: text, file: "p.toml") }
        let error = try #require(errors.errors.first { $0.field == broken.field }, "\(errors)")
        #expect(error.file == "p.toml" && error.line == broken.line, "\(error)")
        #expect(error.message.contains(broken.message), "\(error)")
        #expect(error.description.hasPrefix("p.toml:\(broken.line): \(broken.field): "))
    }

    @Test("A TOML syntax error is reported with its line; every other error is reported, not just the first")
    func syntaxAndMany() throws {
        let syntax = try #require(throws: ProgrammeErrors.self) {
            try Programme(parsing: "[theatre]\nname = \"x\nfoo", file: "bad.toml")
        }
        #expect(syntax.errors.count == 1 && syntax.errors[0].line == 2)
        let many = Self.valid.replacingOccurrences(of: "screen = \"1\"", with: "screen = \"9\"")
        let errors = try #require(throws: ProgrammeErrors.self) { try Programme(parsing: many, file: "p.toml") }
        #expect(errors.errors.map(\.field) == ["shows[1].screen", "shows[2].screen"])
    }

    @Test("A film or screen with errors of its own is reported once, not again as unknown for each of its shows")
    func rootCauseOnly() throws {
        let text = Self.valid.replacingOccurrences(of: "runtime = 100", with: "runtime = 0")
            .replacingOccurrences(of: "name = \"One\"", with: "name = \"\"")
        let errors = try #require(throws: ProgrammeErrors.self) { try Programme(parsing: text, file: "p.toml") }
        #expect(errors.errors.map(\.field) == ["screens[1].name", "films[1].runtime"], "\(errors)")
        #expect(!errors.description.contains("unknown"))
    }

    @Test("Errors come in the order of the file's lines, whatever order they were found in")
    func errorsInLineOrder() throws {
        // The overlap (line 34) is found after every show is read, the bad price (line 8) among the first fields.
        let text = Self.valid.replacingOccurrences(
            of: "start = 2026-12-01T21:30:00", with: "start = 2026-12-01T21:20:00"
        )
        .replacingOccurrences(of: "standard = 1200\n", with: "standard = -5\n")
        .replacingOccurrences(
            of: "screen = \"1\"\nstart = 2026-12-01T19", with: "screen = \"Z\"\nstart = 2026-12-01T19")
        let errors = try #require(throws: ProgrammeErrors.self) { try Programme(parsing: text, file: "p.toml") }
        let lines = errors.errors.map(\.line)
        #expect(lines == lines.sorted() && lines.count >= 2, "\(errors)")
        #expect(lines.first == 8)
    }

    /// A file of its own in a fresh temporary folder, removed by `body`'s caller.
    static func withTemporaryFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("programme-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    @Test("A file that cannot be read says why, naming it by the path as given")
    func unreadableFiles() throws {
        try Self.withTemporaryFolder { folder in
            func error(_ path: String) throws -> ProgrammeError {
                let errors = try #require(throws: ProgrammeErrors.self) { try Programme(contentsOf: path) }
                #expect(errors.errors.count == 1)
                return try #require(errors.errors.first)
            }
            let missing = folder.appendingPathComponent("missing.toml").path
            #expect(try error(missing).description == "\(missing): no such file")
            #expect(try error(folder.path).description == "\(folder.path): is a folder, not a programme file")

            let large = folder.appendingPathComponent("large.toml")
            try Data(repeating: UInt8(ascii: "#"), count: 2 << 20).write(to: large)
            #expect(try error(large.path).message.hasPrefix("is 2097152 bytes; a programme file is at most 1 MiB"))

            let latin1 = folder.appendingPathComponent("latin1.toml")
            try Data("[theatre]\nname = \"Caf".utf8 + [0xE9] + Data("\"\n".utf8)).write(to: latin1)
            let notUTF8 = try error(latin1.path)
            #expect(notUTF8.line == 2 && notUTF8.message.hasPrefix("not UTF-8 text"), "\(notUTF8)")
            #expect(notUTF8.description.hasPrefix("\(latin1.path):2: "))

            let good = folder.appendingPathComponent("good.toml")
            try Data(Self.valid.replacingOccurrences(of: "screen = \"1\"", with: "screen = \"9\"").utf8).write(to: good)
            let relative = try #require(throws: ProgrammeErrors.self) { try Programme(contentsOf: good.path) }
            #expect(relative.errors.allSatisfy { $0.file == good.path }, "the path as given, not its base name")
        }
    }

    @Test("Shows that have started are named with their line, in the theatre's time; others and loaded ones are not")
    func startedShows() throws {
        let programme = try Programme(parsing: Self.valid, file: "p.toml")
        let s1 = try #require(programme.theatre.shows.first)
        let now = s1.start.adding(seconds: 60)  // s1 started a minute ago; s2 is to come
        let both = Set(programme.theatre.shows.map(\.id))
        let errors = programme.errors(forStarted: both, now: now)
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.line == 27 && error.field == "shows[1].start" && error.file == "p.toml")
        #expect(error.message.hasPrefix("2026-12-01T19:30:00 (Europe/Berlin) has already passed"), "\(error)")
        #expect(error.message.contains("--allow-past"))
        #expect(programme.errors(forStarted: both.subtracting([s1.id]), now: now).isEmpty, "s1 is already loaded")
    }
}
