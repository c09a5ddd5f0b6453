import ArgumentParser
import BoxOfficeCore
import BoxOfficeStore
import Foundation
import OperatorConsole
import Programme

extension BoxOfficeCtl {
    /// `boxofficectl load FILE [--dry-run] [--force SHOW...] [--allow-past]`.
    struct Load: AsyncParsableCommand {
        /// Where `make install` puts the format's description and the example programme.
        static let documents = "/usr/local/share/doc/boxoffice"

        static let configuration = CommandConfiguration(
            abstract: "Load a programme file: screens, films, shows and prices.",
            discussion: """
                The format is described in \(documents)/PROGRAMME.md, with an example in \
                \(documents)/examples/programme.toml (docs/ in the source tree). The whole file is checked first; \
                any error (each with its file, line and field) loads nothing and exits 65, and so does a show new to \
                Redis that has already started, unless --allow-past. Loading the same file twice changes nothing. A \
                change that would drop, block or move a booked or held seat is refused for that show (exit 1) \
                unless the show is named after --force: its holds are then freed, bookings always kept. Upcoming \
                shows missing from the file are withdrawn from sale, refused in the same way while seats are \
                booked or held; the demo's shows are withdrawn whatever their seats (bookings kept).
                """)

        @OptionGroup var options: Options

        @Argument(help: "The programme file.")
        var file: String

        @Flag(help: "Show what would change; write nothing.")
        var dryRun = false

        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                "Apply the refused changes or withdrawals of these shows, named by id (holds freed, bookings kept).",
                valueName: "show"))
        var force: [String] = []

        @Flag(help: "Load shows that have already started (refused by default: most often a wrong date).")
        var allowPast = false

        func validate() throws {
            if let bad = force.first(where: { ShowID($0) == nil }) {
                throw ValidationError(
                    "--force takes show ids (1-32 of A-Z a-z 0-9 _ -), not \"\(bad)\"; give the file before --force")
            }
        }

        func run() async throws {
            let programme: Programme
            do {
                programme = try Programme(contentsOf: file)
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(65)  // EX_DATAERR
            }
            let loadOptions = LoadOptions(force: Set(force.compactMap { ShowID($0) }), dryRun: dryRun)
            try await options.withConsole { console in
                let summary: LoadSummary
                do throws(LoadError) {
                    summary = try await console.load(programme, options: loadOptions, allowPast: allowPast)
                } catch {
                    switch error {
                    case .programme(let errors):
                        FileHandle.standardError.write(Data((errors.description + "\n").utf8))
                        throw ExitCode(65)  // EX_DATAERR
                    case .unknownForced(let shows):
                        let names = shows.map(\.rawValue).joined(separator: " ")
                        FileHandle.standardError.write(
                            Data("boxofficectl: --force names shows neither in the file nor on sale: \(names)\n".utf8))
                        throw ExitCode(64)  // EX_USAGE
                    case .console(let error):
                        throw error
                    }
                }
                options.show(summary)
                if summary.hasRefusals { throw ExitCode(1) }
            }
        }
    }
}
