import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl users`.
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the customers: name, when created, number of bookings (never password hashes).")

        @OptionGroup var options: Options

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.users())
            }
        }
    }
}
