import ArgumentParser
import BoxOfficeCore
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl bookings [--show S] [--user U]`.
    struct Bookings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List bookings, confirmed and cancelled, of every show or of one show or customer.")

        @OptionGroup var options: Options

        @Option(help: "Only this show's bookings.")
        var show: String?

        @Option(help: "Only this customer's bookings.")
        var user: String?

        func validate() throws {
            if let show, ShowID(show) == nil { throw ValidationError("a show id is 1-32 of A-Z a-z 0-9 _ -") }
            if let user, Username(user) == nil { throw ValidationError("a user name is 3-32 of a-z 0-9 _ . -") }
        }

        func run() async throws {
            try await options.withConsole { console in
                options.show(
                    try await console.bookings(show: show.flatMap { ShowID($0) }, user: user.flatMap { Username($0) }))
            }
        }
    }
}
