import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl shows [--date YYYY-MM-DD] [--all]`.
    struct Shows: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List the shows on sale not yet started (or those of one day): start, screen, film, seats, prices.",
            discussion: """
                Times are the theatre's local time (the time_zone that load writes), or UTC with --utc. Withdrawn \
                shows, and without --date shows that have started, are listed only with --all.
                """)

        @OptionGroup var options: Options

        @Option(
            help: ArgumentHelp(
                "Only the shows starting on this day of the theatre's clock, started or not.",
                valueName: "YYYY-MM-DD"))
        var date: String?

        @Flag(help: "Withdrawn shows too, and (without --date) shows that have started.")
        var all = false

        func validate() throws {
            if let date, CalendarDay(date) == nil { throw ValidationError("--date must be a date, YYYY-MM-DD") }
        }

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.shows(on: date.flatMap { CalendarDay($0) }, all: all))
            }
        }
    }
}
