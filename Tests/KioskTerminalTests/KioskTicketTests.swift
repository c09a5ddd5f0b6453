import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import Programme
import RedisClient
import Testing

/// From seat to door with the real binaries: the kiosk's ticket screen shows a QR code that a real decoder reads
/// as the booking's ticket code, and `boxoffice-kiosk --door` admits that code once.
@Suite("boxoffice-kiosk: the ticket's QR code, and the door", .serialized, .timeLimit(.minutes(2)))
struct KioskTicketTests {
    let terminal = KioskTerminalTests()

    /// The ticket code stored in Redis for `user`'s only booking (its booking hash's `ticket` field), and the
    /// booking's key.
    func storedTicket(_ daemon: DemoDaemon, user: String) async throws -> (code: String, bookingKey: String) {
        let entries = try await daemon.redis.send(RedisCommand("ZRANGE", "boxoffice:user:\(user):bookings", "0", "-1"))
        let entry = try #require(entries.array?.compactMap(\.string).first, "\(user) has a booking")
        let parts = entry.split(separator: "/")
        let bookingKey = "boxoffice:{show:\(parts[0])}:booking:\(parts[1])"
        let code = try await daemon.redis.send(RedisCommand("HGET", bookingKey, "ticket")).string
        return (try #require(code, "the booking has a ticket code"), bookingKey)
    }

    /// The QR code's lines cut out of a captured screen: the first run of lines holding half blocks, each from its
    /// first block to its last (the quiet zone, light and so drawn as ink, marks both edges).
    static func qrLines(in screen: String) -> [String] {
        let blocks: Set<Character> = ["▀", "▄", "█"]
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let drawn = lines.drop { !$0.contains(where: blocks.contains) }.prefix { $0.contains(where: blocks.contains) }
        return drawn.map { line in
            let first = line.firstIndex(where: blocks.contains)!
            let last = line.lastIndex(where: blocks.contains)!
            return String(line[first...last])
        }
    }

    @Test("The ticket screen's QR code, cut out of the pane and read by zbarimg, is the booking's ticket code in Redis")
    func ticketQRCode() async throws {
        let daemon = try await DemoDaemon(database: 1, kiosk: "lobby", secret: KioskTerminalTests.secret)
        let tmux = try await terminal.startKiosk("qr", daemon, kiosk: "lobby", arguments: ["--demo"])
        defer { tmux.kill() }
        await terminal.steps(stoppingAfterwards: daemon) {
            let screen = try await terminal.book(tmux, "quentin")
            let ticket = try await storedTicket(daemon, user: "quentin").code
            let lines = Self.qrLines(in: screen)
            // A ticket code has 34 characters or more: version 3 at least, 37 modules with the quiet zone, 19 lines.
            #expect(lines.count >= 19, "a QR code on the ticket screen:\n\(screen)")
            #expect(
                Set(lines.map(\.count)).count == 1, "every line of the code as wide:\n\(lines.joined(separator: "\n"))")
            // The kiosk draws the light modules as ink: a white character on a black cell.
            let image = GreyImage(
                halfBlocks: lines, ink: GreyImage.white, paper: GreyImage.black, surround: GreyImage.black)
            #expect(try BarcodeReader.decode(pgm: image.pgm) == [ticket])
        }
    }

    /// A programme in UTC with one show, Last Call, `minutes` from now (to the minute): four rows of eight
    /// standard seats at 12.00 EUR.
    static func programme(startingIn minutes: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:00"
        return """
            [theatre]
            name = "Late Picture House"
            time_zone = "UTC"
            currency = "EUR"

            [[screens]]
            id = "1"
            name = "Main"
            rows = ["A ssssssss", "B ssssssss", "C ssssssss", "D ssssssss"]

            [[films]]
            id = "call"
            title = "Last Call"
            runtime = 95

            [[shows]]
            id = "lc-1"
            film = "call"
            screen = "1"
            start = \(formatter.string(from: Date(timeIntervalSinceNow: Double(minutes * 60))))
            prices = { standard = 1200 }
            """
    }

    /// The door's big words as its screen draws them, in five rows: each `#` a block two columns wide.
    static let bigWords = [
        "ADMIT": [
            " ###  ####  #   # ##### #####",
            "#   # #   # ## ##   #     #",
            "##### #   # # # #   #     #",
            "#   # #   # #   #   #     #",
            "#   # ####  #   # #####   #",
        ],
        "STOP": [
            " #### #####  ###  ####",
            "#       #   #   # #   #",
            " ###    #   #   # ####",
            "    #   #   #   # #",
            "####    #    ###  #",
        ],
    ]

    /// True when five lines of `screen` in a row show `word` in big letters, each line centred (spaces before it).
    static func shows(_ word: String, in screen: String) -> Bool {
        let rows = (bigWords[word] ?? []).map { $0.map { $0 == "#" ? "██" : "  " }.joined() }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop { $0 == " " }.reversed())
        }
        guard !rows.isEmpty, lines.count >= rows.count else { return false }
        return (0...(lines.count - rows.count)).contains { top in
            rows.indices.allSatisfy { index in
                let line = lines[top + index]
                return line.hasSuffix(rows[index]) && line.dropLast(rows[index].count).allSatisfy { $0 == " " }
            }
        }
    }

    @Test(
        "At the door: the ticket's code scanned shows ADMIT with the customer and seats; scanned again, STOP: already admitted"
    )
    func door() async throws {
        let lobby = try await DemoDaemon(database: 2, kiosk: "lobby", secret: KioskTerminalTests.secret)
        do {
            // Within its entry window: a door admits from 30 minutes before the start.
            let programme = try Programme(parsing: Self.programme(startingIn: 15), file: "tonight.toml")
            _ = try await TheatreStore(redis: lobby.redis, keys: StoreKeys()!).load(programme.theatre)
        } catch {
            await lobby.cleanUp()
            throw error
        }
        let customer = try await terminal.startKiosk("tonight", lobby, kiosk: "lobby", arguments: ["--demo"])
        defer { customer.kill() }
        await terminal.steps(stoppingAfterwards: lobby) {
            let screen = try await terminal.book(customer, "dolores")
            #expect(screen.contains("Film:     Last Call"))
            let seatsLine = try #require(screen.split(separator: "\n").first { $0.contains("Seats:    ") })
            let seats = seatsLine.components(separatedBy: "Seats:    ")[1].split(separator: " ").prefix(2)
                .joined(separator: " ")
            let booking = try #require(screen.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("BK") })
            let (ticket, bookingKey) = try await storedTicket(lobby, user: "dolores")

            // The door's own daemon, on the same Redis: one box office.
            let doorDaemon = try await DemoDaemon(beside: lobby, kiosk: "door-1", extraProfile: "role = \"door\"")
            let door = try await terminal.startKiosk(
                "door", doorDaemon, kiosk: "door-1", arguments: ["--door"], environment: ["TZ=UTC"])
            defer { door.kill() }
            await terminal.steps(stoppingAfterwards: doorDaemon) {
                try await door.waitFor("Ready: scan the next ticket.")
                try door.type(ticket)
                try door.press("Enter")
                let admitted = try await door.waitFor("Seats \(seats)")
                #expect(Self.shows("ADMIT", in: admitted), "ADMIT in big letters:\n\(admitted)")
                #expect(admitted.contains("dolores"))
                #expect(admitted.contains("(\(booking))"))
                let admittedBy = try await lobby.redis.send(RedisCommand("HGET", bookingKey, "admitted_by"))
                #expect(admittedBy.string == "door-1", "the admission is in Redis")

                try door.type(ticket)
                try door.press("Enter")
                let refused = try await door.waitFor("Already admitted at ")
                #expect(Self.shows("STOP", in: refused), "STOP in big letters:\n\(refused)")
                let admittedAt = try await lobby.redis.send(RedisCommand("HGET", bookingKey, "admitted")).string
                let milliseconds = try #require(admittedAt.flatMap { Double($0) }, "admitted (ms) in Redis")
                let formatter = DateFormatter()
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "HH:mm"
                let time = formatter.string(from: Date(timeIntervalSince1970: milliseconds / 1000))
                #expect(refused.contains("Already admitted at \(time) by door-1."))
                #expect(!refused.contains("dolores"), "the first verdict is gone")
            }
        }
    }
}
