import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import OperatorConsole
import Testing

/// Check-in at the door: ADMIT on door kiosks, once per ticket, within the show's entry window.
@Suite("Door: ADMIT, its refusals, roles, and two doors racing")
struct DoorTests {
    /// A door kiosk's connection.
    static func door(_ harness: Harness, _ id: String = "door-1") async throws -> KioskClient {
        try await harness.kiosk(KioskID(id)!)
    }

    /// The show's `admit` audit entries.
    static func admitEntries(_ harness: Harness, show: String = "1") async throws -> [[String]] {
        let entries = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID(show)!), "-", "+")
        return (entries.array ?? []).compactMap { entry in
            let fields = entry.array?.last?.array?.compactMap(\.string) ?? []
            return fields.count >= 2 && fields[1] == "admit" ? fields : nil
        }
    }

    @Test("A door admits a ticket once, naming who, which show and seats; the next scan says when and at which door")
    func admitsOnce() async throws {
        try await Harness.run("door-once") { harness in
            let (_, booking, ticket) = try await TicketTests.book(harness, "wanda", seats: "A1 A2")
            let start = try #require(try await harness.showStart("1"))
            let first = try await Self.door(harness)
            let admitted = try await harness.expectOK(first, "ADMIT \(ticket)")
            #expect(admitted.final == "OK ADMITTED \(booking) 1 S \(start) wanda A1 A2")

            let second = try await Self.door(harness, "door-2")
            let again = try await second.send("ADMIT \(ticket)").final
            let words = again.split(separator: " ")
            #expect(words.count == 4 && words[1] == "ALREADY_ADMITTED" && words[3] == "door-1", "\(again)")
            #expect(words.count == 4 && words[2].hasSuffix("Z") && words[2].count == 20, "ISO 8601 UTC: \(again)")
            #expect(try await first.send("ADMIT \(ticket)").final.hasPrefix("ERR ALREADY_ADMITTED "))

            let entries = try await Self.admitEntries(harness)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.contains(booking) && entry.contains("door-1") && entry.contains("A1 A2"))
        }
    }

    @Test("Refusals with their codes: bad code, unknown ticket, wrong screen, not yet open, cancelled, long over")
    func refusals() async throws {
        try await Harness.run("door-refuse") { harness in
            let (_, booking, ticket) = try await TicketTests.book(harness, "xena", seats: "B2")
            let door = try await Self.door(harness)
            for bad in ["ADMIT", "ADMIT 1.XYZ", "ADMIT \(ticket.rawValue.uppercased())", "ADMIT \(ticket) extra"] {
                #expect(try await door.send(bad).final.hasPrefix("ERR BAD_REQUEST"), "\(bad)")
            }
            let zeros = String(repeating: "0", count: 32)
            #expect(try await door.send("ADMIT 1.\(zeros)").final == "ERR UNKNOWN_TICKET")
            #expect(try await door.send("ADMIT 99.\(zeros)").final == "ERR UNKNOWN_TICKET")
            let otherShow = String(ticket.rawValue.dropFirst(2))
            #expect(try await door.send("ADMIT 3.\(otherShow)").final == "ERR UNKNOWN_TICKET", "another show's code")

            #expect(try await Self.door(harness, "door-x").send("ADMIT \(ticket)").final == "ERR WRONG_SCREEN S")
            let start = try #require(try await harness.services.theatre.shows([ShowID("1")!]).first?.start)
            #expect(
                try await Self.door(harness, "door-standard").send("ADMIT \(ticket)").final
                    == "ERR NOT_YET_OPEN \(start.adding(seconds: -1800))")
            let show = ShowID("1")!
            let bookingKey = harness.keys.booking(show, BookingID(booking)!)
            #expect(
                try await harness.redisCommand("HEXISTS", bookingKey, "admitted").integer == 0, "refusals write nothing"
            )
            #expect(try await Self.admitEntries(harness).isEmpty)

            // The clock moves on: the show started 4 hours ago and ran 90 minutes.
            let now = try await harness.services.theatre.now()
            let past = now.adding(seconds: -4 * 3600)
            _ = try await harness.redisCommand(
                "HSET", harness.keys.show(show), "start_epoch", String(past.secondsSinceEpoch))
            #expect(try await door.send("ADMIT \(ticket)").final == "ERR SHOW_OVER \(past.adding(seconds: 120 * 60))")
            _ = try await harness.redisCommand(
                "HSET", harness.keys.show(show), "start_epoch", String(start.secondsSinceEpoch))

            let cancelled = try await harness.services.bookings.cancel(
                BookingID(booking)!, of: show, by: .boxOffice("test"))
            guard case .cancelled = cancelled else {
                Issue.record("not cancelled: \(cancelled)")
                return
            }
            #expect(try await door.send("ADMIT \(ticket)").final == "ERR BOOKING_CANCELLED")
            #expect(try await harness.redisCommand("HGET", bookingKey, "ticket").string == ticket.rawValue, "kept")
        }
    }

    @Test("Roles: a customer's kiosk may not ADMIT, a door may do nothing else; HELP says what a door may")
    func roles() async throws {
        try await Harness.run("door-roles") { harness in
            let (customer, _, ticket) = try await TicketTests.book(harness, "yusuf", seats: "C1")
            #expect(try await customer.send("ADMIT \(ticket)").final.hasPrefix("ERR WRONG_ROLE"))
            let kiosk = try await harness.kiosk()
            #expect(try await kiosk.send("ADMIT \(ticket)").final.hasPrefix("ERR WRONG_ROLE"))
            let door = try await Self.door(harness)
            #expect(try await door.send("HELP").final == "OK HELP PING HELP QUIT ADMIT")
            for line in ["SHOWS", "LOGIN yusuf \(Harness.password)", "REGISTER zed \(Harness.password)", "BOOKINGS"] {
                #expect(try await door.send(line).final.hasPrefix("ERR WRONG_ROLE"), "\(line)")
            }
            #expect(try await door.send("PING").final == "OK PONG")
            #expect(try await Self.admitEntries(harness).isEmpty)
        }
    }

    @Test("Many doors scan one ticket at once: exactly one admits, every other hears ALREADY_ADMITTED")
    func doorsRace() async throws {
        try await Harness.run("door-race") { harness in
            let (_, _, ticket) = try await TicketTests.book(harness, "zora", seats: "A3 A4")
            var doors: [KioskClient] = []
            for index in 0..<24 { doors.append(try await Self.door(harness, index % 2 == 0 ? "door-1" : "door-2")) }
            let finals = try await withThrowingTaskGroup(of: String.self) { group in
                for door in doors { group.addTask { try await door.send("ADMIT \(ticket)").final } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(finals.filter { $0.hasPrefix("OK ADMITTED ") }.count == 1, "\(finals)")
            #expect(finals.filter { $0.hasPrefix("ERR ALREADY_ADMITTED ") }.count == doors.count - 1, "\(finals)")
            #expect(try await Self.admitEntries(harness).count == 1)
        }
    }

    @Test("boxofficectl admissions: booked, admitted, and no-shows once the show is over; cancelled ones left out")
    func admissionsReport() async throws {
        try await Harness.run("door-report") { harness in
            let came = try await TicketTests.book(harness, "abel", seats: "A1 A2")
            _ = try await TicketTests.book(harness, "bea", seats: "B1")
            let cancelled = try await TicketTests.book(harness, "cid", seats: "C1")
            _ = try await harness.services.bookings.cancel(
                BookingID(cancelled.booking)!, of: ShowID("1")!, by: .boxOffice("test"))
            try await harness.expectOK(try await Self.door(harness), "ADMIT \(came.ticket)")
            let console = OperatorConsoleTests.console(harness)

            let before = try #require(try await console.admissions(show: ShowID("1")!).shows.first)
            #expect((before.booked, before.bookedSeats, before.admitted, before.admittedSeats) == (2, 3, 1, 2))
            #expect(before.noShows == nil, "the show is not over")
            #expect(try await console.admissions().shows.map(\.show) == ["2", "1", "3"])

            let now = try await harness.services.theatre.now()
            _ = try await harness.redisCommand(
                "HSET", harness.keys.show(ShowID("1")!), "start_epoch",
                String(now.adding(seconds: -4 * 3600).secondsSinceEpoch))
            let after = try #require(try await console.admissions(show: ShowID("1")!).shows.first)
            #expect(after.noShows == 1)
            let text = try await console.admissions(show: ShowID("1")!).text
            #expect(text.contains("NO-SHOWS") && text.contains("Test Movie: The Sequel"))
        }
    }

    @Test("Door profiles: role, screens and entry window are read; mistakes are named")
    func profiles() throws {
        let head = "id = \"d\"\nsecret_sha256 = \"\(String(repeating: "a", count: 64))\"\n"
        let door = try KioskProfile.parse(
            head + "role = \"door\"\nscreens = [\"1\", \"2\"]\nentry_opens_minutes = 45\n", file: "d.toml")
        #expect(
            door.role
                == .door(
                    screens: ["1", "2"], entry: EntryWindow(opensMinutesBeforeStart: 45, closesMinutesAfterEnd: 30)))
        let everyScreen = try KioskProfile.parse(head + "role = \"door\"\n", file: "d.toml")
        #expect(everyScreen.role == .door(screens: nil, entry: .standard))
        #expect(try KioskProfile.parse(head, file: "d.toml").role == .customer)
        let shipped = try KioskProfile.loadAll(
            from: DaemonBinary.repository.appendingPathComponent("kiosk-profiles").path)
        #expect(shipped[KioskID("demo-door")!]?.role == .door(screens: nil, entry: .standard))
        #expect(shipped[KioskID("demo")!]?.role == .customer)
        for bad in [
            "role = \"usher\"\n", "screens = [\"1\"]\n", "role = \"door\"\nscreens = []\n",
            "role = \"door\"\nscreens = \"1\"\n", "role = \"door\"\nentry_opens_minutes = -5\n",
            "role = \"door\"\nscreens = [1, 2]\n",
        ] {
            #expect(throws: ProfileError.self, "\(bad)") { try KioskProfile.parse(head + bad, file: "d.toml") }
        }
    }
}
