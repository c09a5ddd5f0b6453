import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl sessions`.
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the open booking sessions (OPEN or PAYING): user, kiosk, show, seats, time left.")

        @OptionGroup var options: Options

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.openSessions())
            }
        }
    }
}
