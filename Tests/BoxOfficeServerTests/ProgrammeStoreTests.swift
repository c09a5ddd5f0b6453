import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeStore
import Testing

/// Seat kinds, prices and programme loads, through the kiosk protocol and the store, on a real Redis.
@Suite("Programme: seat kinds, prices, QUOTE, loading and reloading")
struct ProgrammeStoreTests {
    /// Screen `K`: row A a wheelchair space, a gap, two standard seats and a blocked one; row B three premium.
    static let mixedScreen = Screen(
        id: "K", name: "Kinds",
        rows: [try! SeatRow(parsing: "A w_ssx"), try! SeatRow(parsing: "B ppp")])

    static func mixedShow(_ id: String, start: Timestamp, screen: Screen = mixedScreen) -> Show {
        Show(
            id: ShowID(id)!, screenID: screen.id, movieID: "m", title: "Mixed", start: start, durationMinutes: 90,
            prices: Harness.testPrices)
    }

    /// Adds show `k` on the mixed screen, starting in two hours.
    static func addMixedShow(_ harness: Harness) async throws {
        let now = try await harness.services.theatre.now()
        #expect(
            try await harness.services.theatre.add(mixedShow("k", start: now.adding(seconds: 7200)), on: mixedScreen))
    }

    @Test("SEATS names each seat's kind and leaves blocked seats out; HOLD refuses a blocked seat as not for sale")
    func kindsOnTheWire() async throws {
        try await Harness.run("kinds") { harness in
            try await Self.addMixedShow(harness)
            let client = try await harness.customer("kira")
            let seats = try await client.send("SEATS k")
            #expect(
                seats.data == [
                    "SEAT A1 AVAILABLE wheelchair", "SEAT A2 AVAILABLE standard", "SEAT A3 AVAILABLE standard",
                    "SEAT B1 AVAILABLE premium", "SEAT B2 AVAILABLE premium", "SEAT B3 AVAILABLE premium",
                ])
            #expect(seats.final == "OK 6 AVAILABLE")
            _ = try await harness.session(client, show: "k")
            #expect(try await client.send("HOLD A2 A4").final == "ERR NOT_FOR_SALE A4")
            #expect(try await client.send("HOLD A5").final == "ERR UNKNOWN_SEAT A5")
            #expect(try await harness.seatStates(client)["A2"] == "AVAILABLE", "a refused HOLD held nothing")
        }
    }

    @Test("QUOTE prices the held seats per kind; PAY authorizes exactly that; BOOKINGS shows what was paid")
    func quoteAndCharge() async throws {
        try await Harness.run("quote") { harness in
            try await Self.addMixedShow(harness)
            let client = try await harness.customer("quinn")
            _ = try await harness.session(client, show: "k")
            let empty = try await client.send("QUOTE")
            #expect(empty.data.isEmpty && empty.final == "OK 0 EUR")
            try await harness.expectOK(client, "HOLD A1 A2 B1 B2")
            let quote = try await client.send("QUOTE")
            #expect(
                quote.data == ["ITEM premium 2 1500 3000", "ITEM standard 1 1000 1000", "ITEM wheelchair 1 1000 1000"])
            #expect(quote.final == "OK 5000 EUR")

            let paid = try await harness.expectOK(client, "PAY tok_visa")
            let booking = String(try #require(paid.final.split(separator: " ").dropFirst(2).first))
            let stored = try await harness.redisCommand(
                "HMGET", harness.keys.booking(ShowID("k")!, BookingID(booking)!), "amount", "currency", "payment")
            let fields = stored.array?.map(\.string) ?? []
            #expect(fields.prefix(2) == ["5000", "EUR"])
            let gateway = try await harness.services.gateway.lookup(idempotencyKey: try #require(fields.last ?? nil))
            #expect(gateway?.amount.minorUnits == 5000 && gateway?.amount.currency == "EUR")
            #expect(gateway?.state == .captured)
            let bookings = try await client.send("BOOKINGS").bookingLines
            #expect(bookings.data.count == 1 && bookings.data[0].contains(" 5000 EUR A1 A2 B1 B2"))
        }
    }

    @Test("QUOTE needs a session, and a session whose time ran out gets SESSION_EXPIRED")
    func quoteErrors() async throws {
        let policy = SessionPolicy(
            timeoutMilliseconds: 3000, maxSeats: 4, paymentAttempts: 3, paymentGraceMilliseconds: 60_000)
        try await Harness.run("quote-errors", policy: policy) { harness in
            let client = try await harness.customer("quade")
            #expect(try await client.send("QUOTE").final == "ERR NO_SESSION")
            #expect(try await client.send("QUOTE now").final.hasPrefix("ERR BAD_REQUEST"))
            _ = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1")
            try await Task.sleep(for: .milliseconds(3300))
            let reply = try await client.send("QUOTE")
            #expect(
                ["ERR SESSION_EXPIRED", "ERR NO_SESSION"].contains(reply.final), "the timer may have ended it first")
        }
    }

    @Test("The audit stream records hold, release, pay, decline and confirm with user, kiosk and session")
    func auditTrail() async throws {
        try await Harness.run("audit") { harness in
            let client = try await harness.customer("aude")
            let session = try await harness.session(client)
            try await harness.expectOK(client, "HOLD A1 A2")
            try await harness.expectOK(client, "RELEASE A2")
            #expect(try await client.send("PAY tok_chargeDeclined").final == "ERR PAYMENT_FAILED DECLINED 2")
            try await harness.expectOK(client, "PAY tok_visa")
            let entries = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID("1")!), "-", "+")
            let all = (entries.array ?? []).map { $0.array?.last?.fields ?? [:] }
            #expect(all.first?["event"] == "load", "the test theatre's load comes first")
            let events = all.filter { $0["event"] != "load" }
            #expect(
                events.map { $0["event"] ?? "?" } == ["hold", "release", "pay", "decline", "pay", "confirm", "capture"])
            for event in events.dropLast() {
                #expect(event["user"] == "aude" && event["kiosk"] == Harness.kioskID.rawValue)
            }
            #expect(events.allSatisfy { $0["session"] == session })
            #expect(events[0]["seats"] == "A1 A2" && events[1]["seats"] == "A2")
            #expect(events[5]["amount"] == "1000" && events[5]["booking"] != nil)
        }
    }

    @Test("Loading the same programme twice changes nothing")
    func idempotentReload() async throws {
        try await Harness.run("reload") { harness in
            let theatre = harness.theatre
            let version = try await harness.redisCommand("HGET", harness.keys.show(ShowID("1")!), "layout_version")
            let report = try await harness.services.theatre.load(theatre)
            #expect(report.shows.allSatisfy { $0.change == .unchanged })
            #expect(
                try await harness.redisCommand("HGET", harness.keys.show(ShowID("1")!), "layout_version").string
                    == version.string)
        }
    }

    @Test("A change that drops a held or booked seat is refused; forced, it frees the hold and keeps the booking")
    func refuseThenForce() async throws {
        try await Harness.run("force") { harness in
            let holder = try await harness.customer("holly")
            _ = try await harness.session(holder)
            try await harness.expectOK(holder, "HOLD A1 C5")
            let buyer = try await harness.customer("boris")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD C4")
            try await harness.expectOK(buyer, "PAY tok_visa")

            // Row C loses its last two seats, row A gains an aisle in front of its first seat (moving all of A).
            let smaller = Screen(
                id: "S", name: "Test Screen",
                rows: [
                    try SeatRow(parsing: "A _sssss"), try SeatRow(parsing: "B sssss"), try SeatRow(parsing: "C sss"),
                ])
            let original = harness.theatre
            let changed = Theatre(
                name: original.name, screens: [smaller], movies: original.movies, shows: original.shows)

            let dry = try await harness.services.theatre.load(changed, options: LoadOptions(dryRun: true))
            #expect(
                dry.shows.first { $0.show.rawValue == "1" }?.change
                    == .refused(busy: ["A1=held", "C4=booked", "C5=held"]))
            let refused = try await harness.services.theatre.load(changed)
            #expect(refused.hasRefusals)
            #expect(refused.shows.first { $0.show.rawValue == "3" }?.change == .updated(forced: []))
            #expect(try await harness.seatStates(holder)["C5"] == "SELECTED", "the refused change wrote nothing")

            let forced = try await harness.services.theatre.load(changed, options: LoadOptions(force: [ShowID("1")!]))
            #expect(
                forced.shows.first { $0.show.rawValue == "1" }?.change
                    == .updated(forced: ["A1=held", "C4=booked", "C5=held"]))
            let states = try await harness.seatStates(holder)
            #expect(states["C4"] == nil && states["C5"] == nil && states.count == 13)
            #expect(states["A1"] == "AVAILABLE", "A1 moved: its hold was freed")
            // The session still lists A1; holding it again takes it anew (it is free), not a stale "already held".
            let again = try await holder.send("HOLD A1")
            #expect(again.final.hasPrefix("OK HELD A1 "), "\(again.final)")
            let session = try await harness.redisCommand("GET", harness.keys.hold(ShowID("1")!, SeatID("A1")!))
            #expect(session.string != nil)
            #expect(try await harness.seatStates(holder)["A1"] == "SELECTED")
            #expect(try await holder.send("PAY tok_visa").final == "ERR HOLD_LOST", "C5 is gone")
            let bookings = try await buyer.send("BOOKINGS").bookingLines
            #expect(bookings.data.count == 1 && bookings.data[0].hasSuffix(" C4"), "the booking is kept")
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(ShowID("1")!), "C4").integer == 1)
        }
    }

    @Test("A show left out of the programme is withdrawn unless booked; START then says UNKNOWN_SHOW")
    func withdraw() async throws {
        try await Harness.run("withdraw") { harness in
            let original = harness.theatre
            let browser = try await harness.customer("willa")
            _ = try await harness.session(browser, show: "1")  // no seats yet: withdrawing show 1 is allowed
            let buyer = try await harness.customer("wanda")
            _ = try await harness.session(buyer, show: "3")
            try await harness.expectOK(buyer, "HOLD A1")
            try await harness.expectOK(buyer, "PAY tok_visa")
            let withoutBoth = Theatre(
                name: original.name, screens: original.screens, movies: original.movies,
                shows: original.shows.filter { $0.id.rawValue == "2" })
            let refused = try await harness.services.theatre.load(withoutBoth)
            #expect(refused.shows.first { $0.show.rawValue == "1" }?.change == .withdrawn(forced: [], demo: false))
            #expect(refused.shows.first { $0.show.rawValue == "3" }?.change == .refused(busy: ["A1=booked"]))
            #expect(try await buyer.send("START 1").final == "ERR UNKNOWN_SHOW")
            #expect(try await browser.send("HOLD A1").final == "ERR UNKNOWN_SHOW", "no holds on a withdrawn show")
            let shows = try await buyer.send("SHOWS")
            let listed = shows.data.filter { $0.hasPrefix("SHOW ") }
            #expect(listed.count == 1 && listed[0].hasPrefix("SHOW 3 "))
            #expect(try await harness.services.theatre.load(original).shows.first?.change == .updated(forced: []))
            try await harness.expectOK(buyer, "START 1")
        }
    }

    @Test("--demo loads its programme only when nothing is on sale, numbering its shows after every id used")
    func demoWhenNothingOnSale() async throws {
        try await Harness.run("demo-load") { harness in
            let theatre = harness.services.theatre
            let unused = try await theatre.loadWhenNothingOnSale { now, first in
                DemoTheatre.make(now: now, firstShowNumber: first)
            }
            #expect(!unused, "shows 1 and 3 are on sale")
            // Withdraw 1 and 3: only show 2, which has started, is left, and nothing is on sale.
            let original = harness.theatre
            _ = try await theatre.load(
                Theatre(
                    name: original.name, screens: original.screens, movies: original.movies,
                    shows: original.shows.filter { $0.id.rawValue == "2" }))
            var firstNumber = 0
            let loaded = try await theatre.loadWhenNothingOnSale { now, first in
                firstNumber = first
                return DemoTheatre.make(now: now, firstShowNumber: first)
            }
            #expect(loaded && firstNumber == 4, "withdrawn show 3 keeps its id")
            #expect(
                try await harness.redisCommand("HGET", harness.keys.show(ShowID("4")!), "demo").string == "1",
                "the demo's shows are marked as the demo's")
            let onSale = try await theatre.upcomingShows(after: try await theatre.now())
            #expect(onSale.count > 100 && onSale.allSatisfy { (Int($0.id.rawValue) ?? 0) >= 4 })
            let again = try await theatre.loadWhenNothingOnSale { now, first in
                DemoTheatre.make(now: now, firstShowNumber: first)
            }
            #expect(!again)
        }
    }

    /// The first seat `client` sees free on `show`.
    static func freeSeat(_ harness: Harness, _ client: KioskClient, show: String) async throws -> String {
        let states = try await harness.seatStates(client, show: show)
        return try #require(states.filter { $0.value == "AVAILABLE" }.keys.sorted().first)
    }

    @Test("Force is per show: forcing one show's change leaves another show's held seats alone")
    func forcePerShow() async throws {
        try await Harness.run("force-one") { harness in
            let holder = try await harness.customer("hedda")
            _ = try await harness.session(holder, show: "3")
            try await harness.expectOK(holder, "HOLD B2")
            let buyer = try await harness.customer("bruno")
            _ = try await harness.session(buyer, show: "1")
            try await harness.expectOK(buyer, "HOLD C5")
            try await harness.expectOK(buyer, "PAY tok_visa")

            // Show 1's screen loses C5 (booked); show 3, held, leaves the programme.
            let original = harness.theatre
            let smaller = Screen(
                id: "S", name: "Test Screen",
                rows: [
                    try SeatRow(parsing: "A sssss"), try SeatRow(parsing: "B sssss"), try SeatRow(parsing: "C ssss"),
                ])
            let changed = Theatre(
                name: original.name, screens: [smaller], movies: original.movies,
                shows: original.shows.filter { $0.id.rawValue != "3" })
            let theatre = harness.services.theatre
            let report = try await theatre.load(changed, options: LoadOptions(force: [ShowID("1")!]))
            #expect(report.shows.first { $0.show.rawValue == "1" }?.change == .updated(forced: ["C5=booked"]))
            #expect(report.shows.first { $0.show.rawValue == "3" }?.change == .refused(busy: ["B2=held"]))
            #expect(try await harness.seatStates(holder)["B2"] == "SELECTED", "show 3 and its hold are untouched")
            #expect(
                try await harness.redisCommand("HEXISTS", harness.keys.show(ShowID("3")!), "withdrawn").integer == 0)

            let withdrawn = try await theatre.load(changed, options: LoadOptions(force: [ShowID("3")!]))
            #expect(
                withdrawn.shows.first { $0.show.rawValue == "3" }?.change
                    == .withdrawn(forced: ["B2=held"], demo: false))
            #expect(try await holder.send("PAY tok_visa").final == "ERR UNKNOWN_SHOW")
        }
    }

    @Test("The demo's shows never block the theatre's first load: withdrawn with their holds freed, bookings kept")
    func demoShowsGiveWay() async throws {
        try await Harness.run("demo-gives-way") { harness in
            let theatre = harness.services.theatre
            let original = harness.theatre
            // The demo after the test theatre: 1 and 3 (free) are withdrawn, the demo's shows start at 4.
            _ = try await theatre.load(
                DemoTheatre.make(now: try await theatre.now(), firstShowNumber: 4), options: LoadOptions(demo: true))
            let holder = try await harness.customer("demi")
            _ = try await harness.session(holder, show: "4")
            let held = try await Self.freeSeat(harness, holder, show: "4")
            try await harness.expectOK(holder, "HOLD \(held)")
            let buyer = try await harness.customer("dora")
            _ = try await harness.session(buyer, show: "5")
            let bought = try await Self.freeSeat(harness, buyer, show: "5")
            try await harness.expectOK(buyer, "HOLD \(bought)")
            try await harness.expectOK(buyer, "PAY tok_visa")

            let dry = try await theatre.load(original, options: LoadOptions(dryRun: true))
            #expect(!dry.hasRefusals)
            let report = try await theatre.load(original)
            #expect(!report.hasRefusals, "no --force needed for the demo's shows")
            #expect(
                report.shows.first { $0.show.rawValue == "4" }?.change
                    == .withdrawn(forced: ["\(held)=held"], demo: true))
            #expect(
                report.shows.first { $0.show.rawValue == "5" }?.change
                    == .withdrawn(forced: ["\(bought)=booked"], demo: true))
            let withdrawn = report.shows.filter {
                if case .withdrawn(_, demo: true) = $0.change { true } else { false }
            }
            #expect(withdrawn.count > 100, "every demo show still on sale")
            #expect(try await theatre.upcomingShows(after: try await theatre.now()).map(\.id.rawValue) == ["1", "3"])

            // Nothing vanished: the booking is kept, its seat still sold; the held seat is free and the show gone.
            let bookings = try await buyer.send("BOOKINGS").bookingLines
            #expect(bookings.data.count == 1 && bookings.data[0].hasSuffix(" \(bought)"), "\(bookings.data)")
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(ShowID("5")!), bought).integer == 1)
            #expect(
                try await harness.redisCommand("EXISTS", harness.keys.hold(ShowID("4")!, SeatID(held)!)).integer == 0)
            #expect(try await holder.send("PAY tok_visa").final == "ERR UNKNOWN_SHOW")

            // The theatre's own shows are not the demo's: a booked one is refused as before.
            let client = try await harness.customer("rhea")
            _ = try await harness.session(client, show: "3")
            try await harness.expectOK(client, "HOLD A1")
            let without3 = Theatre(
                name: original.name, screens: original.screens, movies: original.movies,
                shows: original.shows.filter { $0.id.rawValue != "3" })
            #expect(
                try await theatre.load(without3).shows.first { $0.show.rawValue == "3" }?.change
                    == .refused(busy: ["A1=held"]))
        }
    }

    @Test("A theatre's show over a demo show (same id) with bookings or holds is refused unless forced")
    func demoShowsAreNotTakenOverWithTheirBookings() async throws {
        try await Harness.run("demo-takeover") { harness in
            let theatre = harness.services.theatre
            let original = harness.theatre
            // The demo from number 1: its shows 1, 2 and 3 replace the test theatre's (nothing sold yet).
            _ = try await theatre.load(
                DemoTheatre.make(now: try await theatre.now(), firstShowNumber: 1), options: LoadOptions(demo: true))
            let holder = try await harness.customer("hank")
            _ = try await harness.session(holder, show: "1")
            let held = try await Self.freeSeat(harness, holder, show: "1")
            try await harness.expectOK(holder, "HOLD \(held)")
            let buyer = try await harness.customer("bea")
            _ = try await harness.session(buyer, show: "3")
            let bought = try await Self.freeSeat(harness, buyer, show: "3")
            try await harness.expectOK(buyer, "HOLD \(bought)")
            try await harness.expectOK(buyer, "PAY tok_visa")

            func change(_ report: LoadReport, _ show: String) -> LoadReport.Change? {
                report.shows.first { $0.show.rawValue == show }?.change
            }
            // The theatre's programme has shows 1, 2 and 3: the demo's 1 and 3 have customers, 2 has none.
            for options in [LoadOptions(dryRun: true), LoadOptions()] {
                let report = try await theatre.load(original, options: options)
                #expect(change(report, "1") == .refused(busy: ["\(held)=held"]), "\(options)")
                #expect(change(report, "3") == .refused(busy: ["\(bought)=booked"]), "\(options)")
                #expect(change(report, "2") == .updated(forced: []), "\(options)")
                #expect(change(report, "4") == .withdrawn(forced: [], demo: true), "leaving demo shows still go")
            }
            // The refused shows are still the demo's, their hold and booking where they were.
            let show1 = ShowID("1")!
            let show3 = ShowID("3")!
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.show(show1), "demo").integer == 1)
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.show(show3), "demo").integer == 1)
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.show(ShowID("2")!), "demo").integer == 0)
            #expect(try await harness.redisCommand("EXISTS", harness.keys.hold(show1, SeatID(held)!)).integer == 1)
            #expect(try await harness.redisCommand("HGET", harness.keys.show(show1), "screen").string == "1")

            // Forced, the theatre's shows take over: the hold is freed, the booking kept (its seat still sold).
            let forced = try await theatre.load(original, options: LoadOptions(force: [show1, show3]))
            #expect(!forced.hasRefusals)
            #expect(change(forced, "1") == .updated(forced: ["\(held)=held"]))
            #expect(change(forced, "3") == .updated(forced: ["\(bought)=booked"]))
            #expect(try await harness.redisCommand("HGET", harness.keys.show(show1), "screen").string == "S")
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.show(show3), "demo").integer == 0)
            #expect(try await harness.redisCommand("EXISTS", harness.keys.hold(show1, SeatID(held)!)).integer == 0)
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(show3), bought).integer == 1)
            #expect(try await theatre.load(original).shows.allSatisfy { $0.change == .unchanged })
        }
    }
}
