import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl stats`.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Figures from Redis: upcoming shows on sale and their seats, bookings, revenue, open sessions.")

        @OptionGroup var options: Options

        func run() async throws {
            try await options.withConsole { console in
                options.show(try await console.stats())
            }
        }
    }
}
