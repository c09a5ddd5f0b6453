import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl takings [--csv]`.
    struct Takings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the confirmed bookings took, by film and by day of the show (the theatre's clock).",
            discussion: "Cancelled bookings are left out. --csv prints CSV for a spreadsheet; --json one document.")

        @OptionGroup var options: Options

        @Flag(help: "Print CSV: by,key,bookings,seats,takings,currency.")
        var csv = false

        func validate() throws {
            if csv && options.json { throw ValidationError("--csv and --json: choose one") }
        }

        func run() async throws {
            try await options.withConsole { console in
                let report = try await console.takings()
                if csv { print(report.csv, terminator: "") } else { options.show(report) }
            }
        }
    }
}
