import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import Testing

/// Ticket types (protocol revision 1.4) through the kiosk protocol against the real daemon and Redis: PRICES lists
/// them, QUOTE and PAY price them, the show's rules refuse what a cinema would not sell, and the booking records
/// each seat's type and price.
@Suite("Ticket types: PRICES, QUOTE and PAY with types, their rules, and the booking's record")
struct TicketTypeTests {
    /// Adult (the default), child (U and PG films; standard 600, premium 900), senior (standard seats, 700) and a
    /// free companion (standard seats), with 20 % VAT included.
    static func types(childStandard: Int = 600) -> [TicketType] {
        [
            TicketType(id: "adult", name: "Adult", prices: Harness.testPrices.minorUnits),
            TicketType(
                id: "child", name: "Child (under 15)", prices: [.standard: childStandard, .premium: 900],
                ratings: ["U", "PG"]),
            TicketType(id: "senior", name: "Senior", prices: [.standard: 700]),
            TicketType(id: "companion", name: "Companion", prices: [.standard: 0], isCompanion: true),
        ]
    }

    /// The harness's theatre plus, on the mixed screen `K` (A1 wheelchair, A2 A3 standard, B1-B3 premium), show `t`
    /// of a film rated PG and show `r` of a film rated 15, and on the harness's screen `S` (15 standard seats) show
    /// `u` of the PG film, all selling ``types(childStandard:)``.
    static func theatre(_ harness: Harness, childStandard: Int = 600) -> Theatre {
        let base = harness.theatre
        let now = base.shows[0].start.adding(seconds: -7200)  // the harness's show 1 starts in two hours
        func show(_ id: String, film: String, hours: Int, screen: String = "K") -> Show {
            Show(
                id: ShowID(id)!, screenID: screen, movieID: film, title: film, start: now.adding(seconds: hours * 3600),
                durationMinutes: 90, prices: Harness.testPrices, ticketTypes: types(childStandard: childStandard),
                vatBasisPoints: 2000)
        }
        return Theatre(
            name: base.name, screens: base.screens + [ProgrammeStoreTests.mixedScreen],
            movies: base.movies + [
                Movie(id: "pg", title: "Family Film", runtimeMinutes: 90, rating: "PG"),
                Movie(id: "x15", title: "Thriller", runtimeMinutes: 90, rating: "15"),
            ],
            shows: base.shows + [
                show("t", film: "pg", hours: 2), show("r", film: "x15", hours: 5),
                show("u", film: "pg", hours: 6, screen: "S"),
            ])
    }

    /// Loads ``theatre(_:childStandard:)``; returns a customer with a session on `show` holding A1 A2 A3 B1.
    static func holding(_ harness: Harness, user: String, show: String = "t") async throws -> KioskClient {
        _ = try await harness.services.theatre.load(theatre(harness))
        let client = try await harness.customer(user)
        _ = try await harness.session(client, show: show)
        try await harness.expectOK(client, "HOLD A1 A2 A3 B1")
        return client
    }

    @Test("PRICES lists the types sold for the film per seat kind, the default first, and the VAT rate")
    func prices() async throws {
        try await Harness.run("types-prices") { harness in
            _ = try await harness.services.theatre.load(Self.theatre(harness))
            let client = try await harness.kiosk()
            let pg = try await client.send("PRICES t")
            #expect(
                pg.data == [
                    "PRICE standard 1000", "PRICE premium 1500", "PRICE wheelchair 1000",
                    "TYPE adult standard 1000 Adult", "TYPE adult premium 1500 Adult",
                    "TYPE adult wheelchair 1000 Adult", "TYPE child standard 600 Child (under 15)",
                    "TYPE child premium 900 Child (under 15)", "TYPE senior standard 700 Senior",
                    "TYPE companion standard 0 Companion", "VAT 2000",
                ])
            #expect(pg.final == "OK EUR")
            let rated15 = try await client.send("PRICES r")
            #expect(!rated15.data.contains { $0.hasPrefix("TYPE child") }, "no child tickets for a film rated 15")
            let plain = try await client.send("PRICES 1")
            #expect(plain.data == ["PRICE standard 1000"], "a show without ticket types or VAT answers as before")
        }
    }

    @Test("QUOTE without types answers as before; with types it itemises each kind and type, with the VAT part")
    func quote() async throws {
        try await Harness.run("types-quote") { harness in
            let client = try await Self.holding(harness, user: "quinta")
            let plain = try await client.send("QUOTE")
            #expect(
                plain.data == [
                    "ITEM premium 1 1500 1500", "ITEM standard 2 1000 2000", "ITEM wheelchair 1 1000 1000",
                    "VAT 2000 750",
                ])
            #expect(plain.final == "OK 4500 EUR")
            let typed = try await client.send(
                "QUOTE standard:child=1 standard:companion=1 wheelchair:adult=1 premium:child=1")
            #expect(
                typed.data == [
                    "ITEM premium 1 900 900 child", "ITEM standard 1 600 600 child",
                    "ITEM standard 1 0 0 companion", "ITEM wheelchair 1 1000 1000 adult", "VAT 2000 417",
                ])
            #expect(typed.final == "OK 2500 EUR", "2500 includes 417 VAT: 2083 net at 20 %")
            let unchanged = try await harness.services.theatre.load(Self.theatre(harness))
            #expect(
                unchanged.shows.allSatisfy { $0.change == .unchanged }, "loading the same types again changes nothing")
        }
    }

    @Test("PAY with types charges exactly the quoted total and the booking records each seat's type and price")
    func payWithTypes() async throws {
        try await Harness.run("types-pay") { harness in
            let client = try await Self.holding(harness, user: "paytra")
            let choice = "standard:child=1 standard:companion=1 wheelchair:adult=1 premium:child=1"
            #expect(try await client.send("QUOTE \(choice)").final == "OK 2500 EUR")
            let paid = try await harness.expectOK(client, "PAY tok_visa 2500 EUR \(choice)")
            let booking = try #require(paid.final.split(separator: " ").dropFirst(2).first.flatMap { BookingID($0) })
            let stored = try await harness.redisCommand(
                "HMGET", harness.keys.booking(ShowID("t")!, booking), "amount", "tickets", "vat", "payment")
            let fields = stored.array?.map(\.string) ?? []
            #expect(fields.prefix(3) == ["2500", "B1=child:900 A2=child:600 A3=companion:0 A1=adult:1000", "417"])
            let gateway = try await harness.services.gateway.lookup(idempotencyKey: try #require(fields.last ?? nil))
            #expect(gateway?.amount.minorUnits == 2500 && gateway?.state == .captured)
            let bookings = try await client.send("BOOKINGS")
            #expect(bookings.data.count == 3 && bookings.data[0].contains(" 2500 EUR A1 A2 A3 B1"))
            #expect(bookings.data[1] == "TYPES \(booking) B1=child:900 A2=child:600 A3=companion:0 A1=adult:1000")
            #expect(bookings.data[2].hasPrefix("TICKET \(booking) t."))
            let audit = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID("t")!), "-", "+")
            let pay = (audit.array ?? []).compactMap { $0.array?.last?.fields }.first { $0["event"] == "pay" }
            #expect(pay?["tickets"] == "B1=child:900 A2=child:600 A3=companion:0 A1=adult:1000")
            let report = try await OperatorConsoleTests.console(harness).bookings(show: ShowID("t")!)
            #expect(report.bookings.first?.tickets.map(\.type) == ["child", "child", "companion", "adult"])
            #expect(report.text.contains("A1 A2 A3 B1  2 child, 1 companion, 1 adult  25.00 EUR"), "\(report.text)")
        }
    }

    @Test("PAY without types still sells every seat as the default type, recorded as such")
    func payDefault() async throws {
        try await Harness.run("types-default") { harness in
            let client = try await Self.holding(harness, user: "dora")
            let paid = try await harness.expectOK(client, "PAY tok_visa 4500 EUR")
            let booking = try #require(paid.final.split(separator: " ").dropFirst(2).first.flatMap { BookingID($0) })
            let tickets = try await harness.redisCommand(
                "HGET", harness.keys.booking(ShowID("t")!, booking), "tickets")
            #expect(tickets.string == "B1=adult:1500 A2=adult:1000 A3=adult:1000 A1=adult:1000")
        }
    }

    /// A refused choice, on QUOTE and PAY alike, and the error it gets.
    static let refusals: [(show: String, choice: String, error: String)] = [
        ("t", "standard:kids=2 wheelchair:adult=1 premium:adult=1", "ERR UNKNOWN_TICKET_TYPE kids"),
        ("r", "standard:child=2 wheelchair:adult=1 premium:adult=1", "ERR TICKET_RATING child 15"),
        ("t", "standard:adult=2 wheelchair:senior=1 premium:adult=1", "ERR TICKET_KIND senior wheelchair"),
        ("t", "standard:adult=1 wheelchair:adult=1 premium:adult=1", "ERR TICKET_COUNT standard 2"),
        ("t", "standard:adult=2 wheelchair:adult=1", "ERR TICKET_COUNT premium 1"),
        ("t", "standard:adult=2 wheelchair:adult=1 premium:adult=1 premium:senior=1", "ERR TICKET_KIND senior premium"),
        ("t", "standard:companion=2 wheelchair:adult=1 premium:adult=1", "ERR TOO_MANY_COMPANIONS 1"),
        ("t", "standard:adult=2 wheelchair:adult=1 premium:adult=2", "ERR TICKET_COUNT premium 1"),
    ]

    @Test("Each rule refuses QUOTE and PAY with its code and changes nothing", arguments: refusals.indices)
    func refused(index: Int) async throws {
        let refusal = Self.refusals[index]
        try await Harness.run("types-refused") { harness in
            let client = try await Self.holding(harness, user: "rufus", show: refusal.show)
            #expect(try await client.send("QUOTE \(refusal.choice)").final == refusal.error)
            #expect(try await client.send("PAY tok_visa 4500 EUR \(refusal.choice)").final == refusal.error)
            let ledger = try await harness.redis.scan(matching: "\(harness.keys.prefix):paysim:*")
            #expect(ledger.isEmpty, "nothing was sent to the gateway")
            #expect(try await client.send("QUOTE").final == "OK 4500 EUR", "the session still holds its seats")
            let states = try await harness.seatStates(client)
            #expect(["A1", "A2", "A3", "B1"].allSatisfy { states[$0] == "SELECTED" }, "\(states)")
            try await harness.expectOK(client, "PAY tok_visa 4500 EUR")
        }
    }

    @Test("A kind held by none and malformed ticket entries are refused")
    func malformed() async throws {
        try await Harness.run("types-grammar") { harness in
            let client = try await Self.holding(harness, user: "gram")
            try await harness.expectOK(client, "RELEASE B1")
            #expect(
                try await client.send("QUOTE standard:adult=2 wheelchair:adult=1 premium:adult=1").final
                    == "ERR TICKET_COUNT premium 0")
            for bad in [
                "QUOTE child=2", "QUOTE standard:child=0", "QUOTE blocked:adult=1", "QUOTE standard:Child=1",
                "QUOTE standard:adult=1 standard:adult=1", "QUOTE standard:adult=01", "PAY tok_visa standard:adult=2",
                "PAY tok_visa 3000 EUR standard:adult", "QUOTE standard:adult=65",
            ] {
                #expect(try await client.send(bad).final.hasPrefix("ERR BAD_REQUEST"), "\(bad)")
            }
        }
    }

    @Test("A price changed between QUOTE and PAY is refused as PRICE_CHANGED; a reload with a new price is a change")
    func priceChange() async throws {
        try await Harness.run("types-change") { harness in
            let client = try await Self.holding(harness, user: "chang")
            let choice = "standard:child=2 wheelchair:adult=1 premium:adult=1"
            #expect(try await client.send("QUOTE \(choice)").final == "OK 3700 EUR")
            let report = try await harness.services.theatre.load(Self.theatre(harness, childStandard: 650))
            #expect(report.shows.first { $0.show == ShowID("t")! }?.change == .updated(forced: []))
            #expect(report.shows.first { $0.show == ShowID("1")! }?.change == .unchanged)
            #expect(try await client.send("PAY tok_visa 3700 EUR \(choice)").final == "ERR PRICE_CHANGED 3800 EUR")
            let ledger = try await harness.redis.scan(matching: "\(harness.keys.prefix):paysim:*")
            #expect(ledger.isEmpty, "nothing was sent to the gateway")
            try await harness.expectOK(client, "PAY tok_visa 3800 EUR \(choice)")
        }
    }

    @Test("A reload racing many PAYs with types: each books at the price it was shown, or is refused; never a mix")
    func reloadRacesPayments() async throws {
        try await Harness.run("types-race") { harness in
            _ = try await harness.services.theatre.load(Self.theatre(harness))
            let seats = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5"]
            var clients: [KioskClient] = []
            for (index, seat) in seats.enumerated() {
                let client = try await harness.customer("racer\(index)")
                _ = try await harness.session(client, show: "u")
                try await harness.expectOK(client, "HOLD \(seat)")
                #expect(try await client.send("QUOTE standard:child=1").final == "OK 600 EUR")
                clients.append(client)
            }
            let replies = try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    _ = try await harness.services.theatre.load(Self.theatre(harness, childStandard: 650))
                    return "reload"
                }
                for client in clients {
                    group.addTask { try await client.send("PAY tok_visa 600 EUR standard:child=1").final }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.filter { $0 != "reload" }.count == seats.count)
            for reply in replies where reply != "reload" {
                #expect(reply.hasPrefix("OK BOOKED ") || reply == "ERR PRICE_CHANGED 650 EUR", "\(reply)")
            }
            let show = ShowID("u")!
            for reply in replies where reply.hasPrefix("OK BOOKED ") {
                let words = reply.split(separator: " ")
                let booking = try #require(BookingID(words[2]))
                let fields = try await harness.redisCommand(
                    "HMGET", harness.keys.booking(show, booking), "amount", "tickets", "payment")
                let values = fields.array?.map(\.string) ?? []
                #expect(values.prefix(2) == ["600", "\(words[4])=child:600"], "booked at the price shown")
                let payment = try await harness.services.gateway.lookup(
                    idempotencyKey: try #require(values.last ?? nil))
                #expect(payment?.amount.minorUnits == 600)
            }
            let client = try await harness.kiosk()
            #expect(try await client.send("PRICES u").data.contains("TYPE child standard 650 Child (under 15)"))
        }
    }
}
