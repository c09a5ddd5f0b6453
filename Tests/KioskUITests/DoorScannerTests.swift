import Foundation
import KioskUI
import Testing

/// The door scanner's state machine and its big words, answered by hand.
@Suite("Door scanner: scan, ADMIT, verdict in big words")
struct DoorScannerTests {
    static let code = "7.5f0c2a9e41d7b3860c9e7d215a4b6f38"

    /// A scanner identified as `door-1`.
    static func ready() throws -> DoorScanner {
        var scanner = DoorScanner(
            configuration: KioskConfiguration(
                kioskID: "door-1", secret: "s3cret", daemons: [DaemonAddress(host: "127.0.0.1", port: 7420)],
                timeZone: TimeZone(identifier: "Europe/Paris")!))
        let actions = scanner.handle(.connected)
        #expect(actions == [.send(Request(.kiosk(id: "door-1", secret: "s3cret"), epoch: 0))])
        _ = scanner.handle(
            .reply(Request(.kiosk(id: "door-1", secret: "s3cret"), epoch: 0), ServerReply(final: "OK KIOSK door-1")))
        #expect(scanner.link == .ready)
        return scanner
    }

    @Test("A scanned code is sent as ADMIT; OK ADMITTED shows ADMIT in big letters with who and which seats")
    func admits() throws {
        var scanner = try Self.ready()
        #expect(DoorRenderer.word(scanner) == "SCAN")
        let actions = scanner.handle(.line(" \(Self.code)"))
        let admit = Request(.admit(code: Self.code), epoch: 0)
        #expect(actions == [.send(admit)])
        #expect(admit.command.line == "ADMIT \(Self.code)")
        #expect(scanner.handle(.line(Self.code)).isEmpty, "one scan at a time")
        _ = scanner.handle(
            .reply(admit, ServerReply(final: "OK ADMITTED BK0000000001 7 1 2026-11-17T19:30:00Z alice F9 F10")))
        #expect(DoorRenderer.word(scanner) == "ADMIT")
        let frame = DoorRenderer(width: 80, height: 24).frame(scanner)
        #expect(frame.count == 24)
        #expect(frame.contains { $0.contains("██████") })
        #expect(frame.contains { $0.contains("alice") } && frame.contains { $0.contains("Seats F9 F10") })
        #expect(frame.contains { $0.contains("Show 7, screen 1, 20:30") }, "the start in the door's time zone")
        #expect(frame.last == "Ready: scan the next ticket.")
    }

    @Test(
        "Refusals read as STOP with the reason in words",
        arguments: [
            ("ERR ALREADY_ADMITTED 2026-11-17T19:02:41Z door-2", "Already admitted at 20:02 by door-2."),
            ("ERR UNKNOWN_TICKET", "Unknown ticket."),
            ("ERR BOOKING_CANCELLED", "This booking was cancelled."),
            ("ERR NOT_YET_OPEN 2026-11-17T19:00:00Z", "Too early: the doors open for this show at 20:00."),
            ("ERR WRONG_SCREEN 2", "This ticket is for screen 2, not this door's."),
            ("ERR SHOW_OVER 2026-11-17T23:00:00Z", "This show is over."),
        ])
    func refusals(final: String, words: String) throws {
        var scanner = try Self.ready()
        _ = scanner.handle(.line(Self.code))
        _ = scanner.handle(.reply(Request(.admit(code: Self.code), epoch: 0), ServerReply(final: final)))
        #expect(scanner.verdict == .refused(words))
        #expect(DoorRenderer.word(scanner) == "STOP")
    }

    @Test("Garbage is refused without asking; a lost connection asks for the scan again and reconnects")
    func garbageAndLostConnection() throws {
        var scanner = try Self.ready()
        #expect(scanner.handle(.line("not a code")).isEmpty)
        #expect(scanner.verdict == .refused("This is not a ticket code."))
        _ = scanner.handle(.line(Self.code))
        let actions = scanner.handle(.disconnected)
        #expect(actions == [.reconnect(to: DaemonAddress(host: "127.0.0.1", port: 7420), after: 1)])
        #expect(scanner.verdict == .refused("The box office did not answer. Please scan the ticket again."))
        #expect(scanner.handle(.line(Self.code)).isEmpty, "not connected: nothing sent yet")
        _ = scanner.handle(.connected)
        let identified = scanner.handle(
            .reply(Request(.kiosk(id: "door-1", secret: "s3cret"), epoch: 0), ServerReply(final: "OK KIOSK door-1")))
        #expect(identified == [.send(Request(.admit(code: Self.code), epoch: 0))], "the scan waiting is sent")
    }

    @Test("A scan nobody answers in time is given up: the door asks again, reconnects, and ignores a late answer")
    func unansweredScan() throws {
        var scanner = try Self.ready()
        let scannedAt = Date(timeIntervalSince1970: 1_800_000_000)
        let admit = Request(.admit(code: Self.code), epoch: 0)
        #expect(scanner.handle(.line(Self.code), at: scannedAt) == [.send(admit)])
        #expect(scanner.handle(.tick, at: scannedAt.addingTimeInterval(4)).isEmpty)
        #expect(scanner.scanning == Self.code)
        let actions = scanner.handle(.tick, at: scannedAt.addingTimeInterval(DoorScanner.answerTimeout))
        #expect(actions == [.reconnect(to: DaemonAddress(host: "127.0.0.1", port: 7420), after: 0)])
        #expect(scanner.scanning == nil)
        #expect(scanner.verdict == .refused("The box office did not answer. Please scan the ticket again."))
        _ = scanner.handle(
            .reply(admit, ServerReply(final: "OK ADMITTED BK0000000001 7 1 2026-11-17T19:30:00Z alice F9 F10")))
        #expect(DoorRenderer.word(scanner) == "STOP", "a late answer is not shown to whoever stands there now")
    }

    @Test("A scan made while the connection is down is not sent minutes later when it comes back")
    func staleScanNotSent() throws {
        var scanner = try Self.ready()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        _ = scanner.handle(.disconnected, at: start)
        #expect(scanner.handle(.line(Self.code), at: start).isEmpty, "not connected: nothing sent yet")
        #expect(scanner.handle(.tick, at: start.addingTimeInterval(DoorScanner.answerTimeout)).isEmpty)
        #expect(scanner.verdict == .refused("The box office did not answer. Please scan the ticket again."))
        _ = scanner.handle(.connected, at: start.addingTimeInterval(120))
        let identified = scanner.handle(
            .reply(Request(.kiosk(id: "door-1", secret: "s3cret"), epoch: 0), ServerReply(final: "OK KIOSK door-1")),
            at: start.addingTimeInterval(120))
        #expect(identified.isEmpty, "the scan given up is not sent")
        #expect(
            scanner.handle(.line(Self.code), at: start.addingTimeInterval(121)) == [
                .send(Request(.admit(code: Self.code), epoch: 0))
            ])
    }
}
