import ArgumentParser
import OperatorConsole

extension BoxOfficeCtl {
    /// `boxofficectl cancel BOOKING`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a booking: its seats come free, its payment is refunded, both are audited.",
            discussion: """
                If the refund fails the booking stays cancelled with its refund pending, and the command exits 75; \
                run it again to retry the refund. Cancelling a cancelled, refunded booking changes nothing.
                """)

        @OptionGroup var options: Options

        @Argument(help: "The booking's id, or SHOW/BOOKING.")
        var booking: String

        @Option(help: "Who cancels, for the audit trail.")
        var actor = "operator"

        func validate() throws {
            guard Console.bookingReference(booking) != nil else {
                throw ValidationError("\"\(booking)\" is not a booking id (BK and 10 characters) or SHOW/BOOKING")
            }
            guard (1...64).contains(actor.utf8.count), !actor.contains(where: { $0.isWhitespace || $0.isNewline })
            else { throw ValidationError("--actor must be 1-64 characters without spaces") }
        }

        func run() async throws {
            try await options.withConsole { console in
                let found = try await console.findBooking(booking)
                let report = try await console.cancel(found.booking, of: found.show, actor: actor)
                options.show(report)
                if !report.isComplete { throw ExitCode(75) }  // EX_TEMPFAIL: run again to retry the refund
            }
        }
    }
}
