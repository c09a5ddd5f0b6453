import ArgumentParser
import BoxOfficeStore
import Foundation
import OperatorConsole
import Programme

extension BoxOfficeCtl {
    /// `boxofficectl load FILE [--dry-run] [--force]`.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a programme file (docs/PROGRAMME.md): screens, films, shows and prices.",
            discussion: """
                The whole file is checked first; any error (each with its file, line and field) loads nothing and \
                exits 65. Loading the same file twice changes nothing. A change that would drop, block or move a \
                booked or held seat is refused for that show (exit 1) unless --force: holds are then freed, \
                bookings always kept. Upcoming shows missing from the file are withdrawn from sale.
                """)

        @OptionGroup var options: Options

        @Argument(help: "The programme file.")
        var file: String

        @Flag(help: "Show what would change; write nothing.")
        var dryRun = false

        @Flag(help: "Apply changes that touch booked or held seats (holds are freed, bookings kept).")
        var force = false

        func run() async throws {
            let programme: Programme
            do {
                programme = try Programme(contentsOf: file)
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(65)  // EX_DATAERR
            }
            try await options.withConsole { console in
                let summary = try await console.load(programme, options: LoadOptions(force: force, dryRun: dryRun))
                options.show(summary)
                if summary.hasRefusals { throw ExitCode(1) }
            }
        }
    }
}
