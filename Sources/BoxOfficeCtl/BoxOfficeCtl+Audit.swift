import ArgumentParser
import BoxOfficeCore
import Foundation
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl audit [--show S] [--follow] [--since ID] [--limit N]`.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the audit trail of every show (or one), merged in the order things happened.",
            discussion: """
                Without --since, the newest --limit entries; with it, the first --limit entries after that entry id. \
                --follow then waits for new entries and prints them as they come until interrupted (with --json, \
                one JSON document per line).
                """)

        @OptionGroup var options: Options

        @Option(help: "Only this show's audit stream.")
        var show: String?

        @Flag(help: "Keep printing new entries until interrupted.")
        var follow = false

        @Option(help: ArgumentHelp("Only entries after this entry id.", valueName: "id"))
        var since: String?

        @Option(help: "The most entries to print before following.")
        var limit = 50

        func validate() throws {
            if let show, ShowID(show) == nil { throw ValidationError("a show id is 1-32 of A-Z a-z 0-9 _ -") }
            if let since {
                let parts = since.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), parts.allSatisfy({ UInt64($0) != nil }) else {
                    throw ValidationError("--since must be a stream entry id, <ms> or <ms>-<sequence>")
                }
            }
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        }

        func run() async throws {
            try await options.withConsole { console in
                var (report, cursor) = try await console.audit(
                    show: show.flatMap { ShowID($0) }, since: since, limit: limit)
                guard follow else {
                    options.show(report)
                    return
                }
                var entries = report.entries
                while true {
                    for entry in entries {
                        print(options.json ? entry.jsonLine : entry.text, terminator: "")
                    }
                    fflush(nil)  // all streams: one entry shows as soon as it comes
                    (entries, cursor) = try await console.followAudit(from: cursor)
                }
            }
        }
    }
}
