import ArgumentParser
import BoxOfficeCore
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl admissions [SHOW]`.
    struct Admissions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per show: bookings confirmed, admitted at the door, and (once the show is over) no-shows.",
            discussion: """
                Cancelled bookings are left out. Without SHOW, every show loaded (a withdrawn one only when it has \
                bookings). Times are the theatre's local time, or UTC with --utc.
                """)

        @OptionGroup var options: Options

        @Argument(help: "Only this show.")
        var show: String?

        func validate() throws {
            if let show, ShowID(show) == nil { throw ValidationError("a show id is 1-32 of A-Z a-z 0-9 _ -") }
        }

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.admissions(show: show.flatMap { ShowID($0) }))
            }
        }
    }
}
