import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl shows [--date YYYY-MM-DD]`.
    struct Shows: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the shows not yet started (or those of one day): start, screen, film, seats, prices.")

        @OptionGroup var options: Options

        @Option(
            help: ArgumentHelp("Only the shows starting on this day (UTC), started or not.", valueName: "YYYY-MM-DD"))
        var date: String?

        func validate() throws {
            if let date, CalendarDay(date) == nil { throw ValidationError("--date must be a date, YYYY-MM-DD") }
        }

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.shows(on: date.flatMap { CalendarDay($0) }))
            }
        }
    }
}
