import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// The real kiosk with `--printer`, against a real daemon: a booking prints its ticket in ESC/POS to a file, and a
/// printer that is not there loses nothing.
@Suite("boxoffice-kiosk printing tickets", .serialized, .timeLimit(.minutes(2)))
struct KioskPrinterTests {
    let terminal = KioskTerminalTests()

    @Test("A booking prints its ticket to the printer's file: init, the film emphasised, the seats, the total, a cut")
    func printsToFile() async throws {
        let printer = FileManager.default.temporaryDirectory.appendingPathComponent("lp-\(UUID().uuidString)").path
        try #require(FileManager.default.createFile(atPath: printer, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: printer) }
        let daemon = try await DemoDaemon(database: 5, kiosk: "lobby", secret: KioskTerminalTests.secret)
        let tmux = try await terminal.startKiosk(
            "print", daemon, kiosk: "lobby", arguments: ["--demo", "--printer", printer])
        defer { tmux.kill() }
        await terminal.steps(stoppingAfterwards: daemon) {
            let ticket = try await terminal.book(tmux, "petra")
            let seats = try #require(ticket.split(separator: "\n").first { $0.contains("Seats:    ") })
                .components(separatedBy: "Seats:    ")[1].split(separator: " ").prefix(2).joined(separator: " ")
            let booking = try #require(ticket.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("BK") })
            let film = try #require(ticket.split(separator: "\n").first { $0.contains("Film:     ") })
                .components(separatedBy: "Film:     ")[1].components(separatedBy: "  ")[0]

            var bytes: [UInt8] = []
            for _ in 0..<50 where bytes.last != 0x00 {
                bytes = Array(FileManager.default.contents(atPath: printer) ?? Data())
                try await Task.sleep(for: .milliseconds(100))
            }
            let printed = try ESCPOSReader(bytes)
            #expect(printed.commands.first == ESCPOSReader.initialise)
            #expect(printed.commands.last == ESCPOSReader.cut)
            #expect(printed.emphasisedLines.first == film)
            #expect(printed.lines.contains("Seats: \(seats)"))
            #expect(printed.lines.contains("Booking \(booking)"))
            #expect(printed.lines.contains { $0.hasPrefix("2 x standard ") && $0.hasSuffix("24.00 EUR") })
            #expect(printed.lines.contains { $0.hasPrefix("Total") && $0.hasSuffix("24.00 EUR") })
            #expect(!(try tmux.screen()).contains("could not be printed"))
        }
    }

    @Test("A printer that is not there: the booking stands, on screen, and the kiosk says the ticket was not printed")
    func printerMissing() async throws {
        let printer = "/nonexistent-\(UUID().uuidString)/lp0"
        let daemon = try await DemoDaemon(database: 4, kiosk: "lobby", secret: KioskTerminalTests.secret)
        let tmux = try await terminal.startKiosk(
            "noprint", daemon, kiosk: "lobby", arguments: ["--demo", "--printer", printer])
        defer { tmux.kill() }
        await terminal.steps(stoppingAfterwards: daemon) {
            _ = try await terminal.book(tmux, "nora")
            let screen = try await tmux.waitFor("Your ticket could not be printed")
            #expect(screen.contains("Your booking is confirmed"))
            #expect(screen.contains("Booking:  BK"))
            let bookings = try await daemon.redis.send(
                RedisCommand("ZCARD", "boxoffice:user:nora:bookings"))
            #expect(bookings.integer == 1, "the booking is in Redis")
        }
    }
}
