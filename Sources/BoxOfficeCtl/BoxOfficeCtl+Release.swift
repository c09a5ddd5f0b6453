import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl release SESSION`.
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an open session and free its seats at once, as CLOSE does (never a PAYING one).")

        @OptionGroup var options: Options

        @Argument(help: "The session's id, or SHOW/SESSION.")
        var session: String

        func validate() throws {
            guard Console.sessionReference(session) != nil else {
                throw ValidationError("\"\(session)\" is not a session id (20 hex digits) or SHOW/SESSION")
            }
        }

        func run() async throws {
            try await options.withConsole { console in
                let report = try await console.release(try await console.findSession(session))
                options.show(report)
                if !report.released { throw ExitCode.failure }
            }
        }
    }
}
