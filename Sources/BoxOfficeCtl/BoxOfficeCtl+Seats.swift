import ArgumentParser
import BoxOfficeCore
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl seats SHOW`.
    struct Seats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a show's seat map: available, held, sold, wheelchair, premium and blocked seats.")

        @OptionGroup var options: Options

        @Argument(help: "The show's id.")
        var show: String

        func validate() throws {
            guard ShowID(show) != nil else { throw ValidationError("a show id is 1-32 of A-Z a-z 0-9 _ -") }
        }

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.seatMap(of: ShowID(show)!))
            }
        }
    }
}
