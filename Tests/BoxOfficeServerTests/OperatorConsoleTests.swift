import BoxOfficeCore
import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import OperatorConsole
import Payments
import Programme
import RedisClient
import Testing

/// `boxofficectl`'s logic on a live daemon's Redis: what the reports show, and what release and cancel change.
@Suite("Operator console: reports, release, cancel and the audit trail")
struct OperatorConsoleTests {
    static func console(_ harness: Harness) -> Console {
        Console(redis: harness.redis, keys: harness.keys, gateway: harness.services.gateway)
    }

    /// The booking id of an `OK BOOKED <booking> <show> ...` reply.
    static func bookingID(_ reply: String) throws -> BookingID {
        try #require(reply.split(separator: " ").dropFirst(2).first.flatMap { BookingID($0) }, "\(reply)")
    }

    /// Parses a report's JSON.
    static func parsed(_ report: some ConsoleReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
    }

    /// A known state: olga bought A1 A2 of show 1, hal holds B3 of show 1.
    static func knownState(_ harness: Harness) async throws -> (booking: BookingID, hal: String) {
        let olga = try await harness.customer("olga")
        _ = try await harness.session(olga)
        try await harness.expectOK(olga, "HOLD A1 A2")
        let booking = try bookingID(try await harness.expectOK(olga, "PAY tok_visa").final)
        let hal = try await harness.customer("hal")
        let session = try await harness.session(hal)
        try await harness.expectOK(hal, "HOLD B3")
        return (booking, session)
    }

    @Test("shows, seats, sessions, bookings and users describe a known state, as tables and as JSON")
    func reports() async throws {
        try await Harness.run("ctl-reports") { harness in
            let (booking, session) = try await Self.knownState(harness)
            let console = Self.console(harness)

            let shows = try await console.shows()
            #expect(shows.shows.map(\.id) == ["1", "3"], "show 2 has started")
            let first = try #require(shows.shows.first)
            #expect((first.seats, first.sold, first.held, first.free) == (15, 2, 1, 12))
            #expect(first.prices == ["standard": 1000, "premium": 1500, "wheelchair": 1000] && first.currency == "EUR")
            #expect(shows.text.hasPrefix("SHOW  START (UTC)"))
            #expect(shows.text.contains("Test Movie: The Sequel") && shows.text.contains("standard 10.00"))
            #expect((try Self.parsed(shows)["shows"] as? [Any])?.count == 2)
            let today = try #require(CalendarDay(String(first.start.prefix(10))))
            #expect(try await console.shows(on: today).shows.contains { $0.id == "1" })

            let map = try await console.seatMap(of: ShowID("1")!)
            let lines = map.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "SCREEN" } == 2)
            #expect(lines.contains("A  x x o o o  A"), "the kiosk's symbols: x sold")
            #expect(lines.contains("B  o o h o o  B"))
            #expect(lines.contains("C  o o o o o  C"))
            #expect(lines.contains("  h  held (1)") && lines.contains("  x  sold (2)"))
            #expect(
                lines.contains { $0.hasPrefix("  o  available") } && lines.contains { $0.hasPrefix("  #  blocked") })
            #expect(map.rows.first?.places.first??.booking == booking.rawValue)
            #expect(map.rows[1].places[2]?.session == session)
            #expect((try Self.parsed(map)["rows"] as? [Any])?.count == 3)

            let sessions = try await console.openSessions()
            #expect(sessions.sessions.count == 1)
            let open = try #require(sessions.sessions.first)
            #expect(open.id == session && open.user == "hal" && open.seats == ["B3"] && open.state == "OPEN")
            #expect(open.kiosk == Harness.kioskID.rawValue && (1...300).contains(open.secondsLeft))
            #expect(sessions.text.contains(session) && sessions.text.contains("OPEN"))
            #expect((try Self.parsed(sessions)["sessions"] as? [Any])?.count == 1)

            let bookings = try await console.bookings()
            #expect(bookings.bookings.map(\.id) == [booking.rawValue])
            let line = try #require(bookings.bookings.first)
            #expect(line.user == "olga" && line.seats == ["A1", "A2"] && line.amount == 2000 && line.currency == "EUR")
            #expect(line.state == "CONFIRMED" && line.payment == "CAPTURED")
            #expect(bookings.text.contains("20.00 EUR") && bookings.text.contains("A1 A2"))
            #expect(try await console.bookings(user: Username("hal")!).bookings.isEmpty)
            #expect(try await console.bookings(show: ShowID("3")!).bookings.isEmpty)
            #expect(try await console.bookings(show: ShowID("1")!, user: Username("olga")!).bookings.count == 1)
            #expect((try Self.parsed(bookings)["bookings"] as? [Any])?.count == 1)

            let users = try await console.users()
            #expect(users.users.map(\.name) == ["hal", "olga"])
            #expect(users.users.map(\.bookings) == [0, 1])
            #expect(
                !users.text.contains("argon2") && !users.json.contains("argon2") && !users.json.contains("password"))
            #expect(
                try await harness.redisCommand("HGET", harness.keys.user(Username("olga")!), "password_hash")
                    .string?.hasPrefix("$argon2") == true, "the hash is there, and the report leaves it out")

            let stats = try await console.stats()
            #expect((stats.upcomingShows, stats.seatsSold, stats.seatsHeld, stats.bookings) == (2, 2, 1, 1))
            #expect(stats.revenue == ["EUR": 2000] && stats.openSessions == 1)
            #expect(stats.text.contains("revenue EUR") && stats.text.contains("20.00"))
            #expect(try Self.parsed(stats)["openSessions"] as? Int == 1)
        }
    }

    @Test("release closes a session with the daemon's own operation: a kiosk then sees its seats AVAILABLE")
    func release() async throws {
        try await Harness.run("ctl-release") { harness in
            let (_, session) = try await Self.knownState(harness)
            let console = Self.console(harness)
            let viewer = try await harness.kiosk()
            #expect(try await harness.seatStates(viewer, show: "1")["B3"] == "TEMPORARILY_UNAVAILABLE")

            let found = try await console.findSession(session)
            #expect(found == SessionRef(show: ShowID("1")!, id: SessionID(session)!))
            let report = try await console.release(found)
            #expect(report.released && report.seats == ["B3"] && report.text.contains("seats freed: B3"))
            #expect(try await harness.seatStates(viewer, show: "1")["B3"] == "AVAILABLE")
            #expect(try await console.openSessions().sessions.isEmpty)

            let again = try await console.release(try await console.findSession("1/\(session)"))
            #expect(!again.released && again.outcome == "NOT_OPEN" && again.state == "CLOSED")
            await #expect(throws: ConsoleError.self) { _ = try await console.findSession("0123456789abcdef0123") }

            let audit = try await console.audit(show: ShowID("1")!).0.entries
            #expect(audit.last?.event == "close" && audit.last?.fields["seats"] == "B3")
        }
    }

    @Test("release refuses a PAYING session and leaves its seats held")
    func releasePaying() async throws {
        try await Harness.run("ctl-paying") { harness in
            let payer = try await harness.customer("paula")
            let id = try await harness.session(payer)
            try await harness.expectOK(payer, "HOLD C1")
            let session = SessionRef(show: ShowID("1")!, id: SessionID(id)!)
            _ = try await harness.services.bookings.beginPayment(
                session, believedHeld: [SeatID("C1")!], shown: nil, policy: harness.policy)
            let console = Self.console(harness)
            #expect(try await console.openSessions().sessions.first?.state == "PAYING")
            let report = try await console.release(session)
            #expect(!report.released && report.outcome == "PAYING" && report.text.contains("PAYING"))
            #expect(
                try await harness.seatStates(try await harness.kiosk(), show: "1")["C1"] == "TEMPORARILY_UNAVAILABLE")
        }
    }

    @Test("cancel refunds at the gateway, frees the seats, audits cancel and refund; twice is harmless")
    func cancel() async throws {
        try await Harness.run("ctl-cancel") { harness in
            let (booking, _) = try await Self.knownState(harness)
            let console = Self.console(harness)
            let show = ShowID("1")!
            let found = try await console.findBooking(booking.rawValue)
            #expect(found.show == show && found.booking == booking)

            let report = try await console.cancel(booking, of: show, actor: "tess")
            #expect(report.isComplete && !report.wasCancelled && report.seats == ["A1", "A2"] && report.amount == 2000)
            #expect(report.text.contains("Refunded 20.00 EUR"))
            let paymentKey = try #require(
                try await harness.redisCommand("HGET", harness.keys.booking(show, booking), "payment").string)
            #expect(try await harness.services.gateway.lookup(idempotencyKey: paymentKey)?.state == .refunded)
            let stored = try await harness.redisCommand(
                "HMGET", harness.keys.booking(show, booking), "state", "refund_state", "cancelled_by")
            #expect(stored.array?.map(\.string) == ["CANCELLED", "REFUNDED", "tess"])
            let viewer = try await harness.kiosk()
            let states = try await harness.seatStates(viewer, show: "1")
            #expect(states["A1"] == "AVAILABLE" && states["A2"] == "AVAILABLE")
            let olga = try await harness.kiosk()
            try await harness.expectOK(olga, "LOGIN olga \(Harness.password)")
            #expect(try await olga.send("BOOKINGS").final == "OK 0")

            let events = try await console.audit(show: show).0.entries.suffix(2)
            #expect(events.map(\.event) == ["cancel", "refund"])
            let cancelEntry = try #require(events.first)
            #expect(cancelEntry.fields["booking"] == booking.rawValue && cancelEntry.fields["user"] == "olga")
            #expect(cancelEntry.fields["seats"] == "A1 A2" && cancelEntry.fields["amount"] == "2000")
            #expect(cancelEntry.fields["currency"] == "EUR" && cancelEntry.fields["actor"] == "tess")
            #expect(events.last?.fields["actor"] == "tess" && events.last?.fields["amount"] == "2000")

            let again = try await console.cancel(booking, of: show, actor: "tess")
            #expect(again.isComplete && again.wasCancelled && again.text.contains("already cancelled"))
            let after = try await console.audit(show: show).0.entries
            #expect(after.filter { $0.event == "cancel" || $0.event == "refund" }.count == 2, "nothing new audited")
            let listed = try await console.bookings().bookings
            #expect(listed.first?.state == "CANCELLED" && listed.first?.refund == "REFUNDED")
            #expect(try await console.stats().revenue["EUR"] == nil)
        }
    }

    @Test("a refund the gateway refuses leaves the booking cancelled with its refund pending; cancel again retries")
    func refundRetry() async throws {
        try await Harness.run("ctl-refund") { harness in
            let (booking, _) = try await Self.knownState(harness)
            let console = Self.console(harness)
            let show = ShowID("1")!
            let paymentKey = try #require(
                try await harness.redisCommand("HGET", harness.keys.booking(show, booking), "payment").string)
            let gateway = SimulatedGateway(redis: harness.redis, keyPrefix: harness.keys.prefix)

            _ = try await harness.redisCommand(
                "HSET", harness.keys.booking(show, booking), "payment_state", "AUTHORIZED")
            await #expect(throws: ConsoleError.self, "an uncaptured payment is the reconciler's to settle first") {
                _ = try await console.cancel(booking, of: show, actor: "operator")
            }
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(show), "A1").integer == 1)
            _ = try await harness.redisCommand("HSET", harness.keys.booking(show, booking), "payment_state", "CAPTURED")

            _ = try await harness.redisCommand("HSET", gateway.ledgerKey(paymentKey), "state", "VOIDED")
            let failed = try await console.cancel(booking, of: show, actor: "operator")
            #expect(!failed.isComplete && failed.refund == "PENDING" && failed.refundError != nil)
            #expect(failed.text.contains("PENDING") && failed.text.contains("again"))
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(show), "A1").integer == 0)
            #expect(try await console.stats().refundsPending == 1)

            _ = try await harness.redisCommand("HSET", gateway.ledgerKey(paymentKey), "state", "CAPTURED")
            let retried = try await console.cancel(booking, of: show, actor: "operator")
            #expect(retried.isComplete && retried.wasCancelled)
            #expect(try await gateway.lookup(idempotencyKey: paymentKey)?.state == .refunded)
            let events = try await console.audit(show: show).0.entries.map(\.event)
            #expect(events.filter { $0 == "cancel" }.count == 1 && events.last == "refund")
        }
    }

    @Test("the simulated gateway refunds a captured payment once, and refuses a voided or unknown one")
    func gatewayRefund() async throws {
        try await Harness.run("ctl-gateway") { harness in
            let gateway = SimulatedGateway(redis: harness.redis, keyPrefix: harness.keys.prefix)
            let money = Money(minorUnits: 500, currency: "EUR")
            _ = try await gateway.authorize(idempotencyKey: "k1", token: PaymentToken("tok_visa")!, amount: money)
            await #expect(throws: PaymentError.self, "authorized, not captured") {
                try await gateway.refund(idempotencyKey: "k1")
            }
            try await gateway.capture(idempotencyKey: "k1")
            try await gateway.refund(idempotencyKey: "k1")
            try await gateway.refund(idempotencyKey: "k1")
            #expect(try await gateway.lookup(idempotencyKey: "k1")?.state == .refunded)
            _ = try await gateway.authorize(idempotencyKey: "k2", token: PaymentToken("tok_visa")!, amount: money)
            try await gateway.void(idempotencyKey: "k2")
            await #expect(throws: PaymentError.self) { try await gateway.refund(idempotencyKey: "k2") }
            _ = try await gateway.authorize(
                idempotencyKey: "k3", token: PaymentToken("tok_chargeDeclined")!, amount: money)
            await #expect(throws: PaymentError.self) { try await gateway.refund(idempotencyKey: "k3") }
            await #expect(throws: PaymentError.self) { try await gateway.refund(idempotencyKey: "never") }
            try await harness.services.gateway.refund(idempotencyKey: "k1")
        }
    }

    @Test("audit merges every show's stream in order, pages with --since and --limit, and follows new entries")
    func audit() async throws {
        try await Harness.run("ctl-audit") { harness in
            let console = Self.console(harness)
            let client = try await harness.customer("ada")
            _ = try await harness.session(client, show: "3")
            try await harness.expectOK(client, "HOLD A1")
            try await harness.expectOK(client, "CLOSE")
            _ = try await harness.session(client, show: "1")
            try await harness.expectOK(client, "HOLD A2")

            let (all, cursor) = try await console.audit()
            let ids = all.entries.map { $0.id.split(separator: "-").compactMap { UInt64($0) } }
            #expect(ids == ids.sorted { $0.lexicographicallyPrecedes($1) }, "merged in id order")
            let mine = all.entries.filter { $0.event != "load" }
            #expect(mine.map(\.event) == ["hold", "close", "hold"])
            #expect(mine.map(\.show) == ["3", "3", "1"])
            #expect(all.entries.filter { $0.event == "load" }.count == 3, "one load per show")
            #expect(all.text.contains(" hold ") && all.text.contains("seats=A1"))
            #expect((try Self.parsed(all)["entries"] as? [Any])?.count == all.entries.count)

            let newest = try await console.audit(limit: 2).0.entries
            #expect(newest.map(\.event) == ["close", "hold"])
            let since = try await console.audit(since: mine[0].id, limit: 1).0.entries
            #expect(since.map(\.id) == [mine[1].id])
            #expect(try await console.audit(show: ShowID("1")!).0.entries.map(\.event) == ["load", "hold"])

            let (quiet, _) = try await console.followAudit(from: cursor, blockMilliseconds: 100)
            #expect(quiet.isEmpty)
            try await harness.expectOK(client, "RELEASE A2")
            let (fresh, next) = try await console.followAudit(from: cursor, blockMilliseconds: 500)
            #expect(fresh.map(\.event) == ["release"] && fresh.first?.show == "1")
            #expect(next.positions[next.shows.firstIndex(of: ShowID("1")!)!] == fresh.last?.id)
            let (again, _) = try await console.followAudit(from: next, blockMilliseconds: 100)
            #expect(again.isEmpty, "the cursor moved past what was read")
            #expect(
                fresh.first?.jsonLine.hasSuffix("}\n") == true && fresh.first?.jsonLine.filter { $0 == "\n" }.count == 1
            )
        }
    }

    @Test("load after the demo: its shows give way, holds freed and bookings kept, summed up in a few lines")
    func loadAfterDemo() async throws {
        try await Harness.run("ctl-after-demo") { harness in
            let store = harness.services.theatre
            _ = try await store.load(
                DemoTheatre.make(now: try await store.now(), firstShowNumber: 4), options: LoadOptions(demo: true))
            let holder = try await harness.customer("dana")
            _ = try await harness.session(holder, show: "4")
            try await harness.expectOK(holder, "BEST 2")
            let buyer = try await harness.customer("dirk")
            _ = try await harness.session(buyer, show: "5")
            try await harness.expectOK(buyer, "BEST 1")
            try await harness.expectOK(buyer, "PAY tok_visa")
            let demoShows = try await store.upcomingShows(after: try await store.now()).count

            let example = try BoxOfficeCtlProcessTests.upcomingExample()
            defer { try? FileManager.default.removeItem(atPath: example) }
            let programme = try Programme(contentsOf: example)
            let summary = try await Self.console(harness).load(programme, options: LoadOptions())
            #expect(!summary.hasRefusals)
            let lines = summary.text.split(separator: "\n").map(String.init)
            #expect(lines.count <= 10, "\(summary.text)")
            #expect(lines.first == "Riverside Picturehouse: 4 added, \(demoShows) withdrawn", "\(summary.text)")
            #expect(
                lines.contains {
                    // Five ids, soonest first, then the count of the others.
                    $0.hasPrefix("Withdrawn: \(demoShows) shows (the demo's): ")
                        && $0.hasSuffix(" and \(demoShows - 5) more (--json lists them all).")
                        && $0.split(separator: ",").count == 5
                }, "\(summary.text)")
            #expect(
                lines.contains("2 of them had seats: 1 booked (kept), 2 held (freed): 4 (2 seats), 5 (1 seat)."),
                "\(summary.text)")
            #expect(summary.shows.filter { $0.change == "withdrawn" && $0.demo }.count == demoShows)
            #expect(try await buyer.send("BOOKINGS").bookingLines.data.count == 1, "the booking is kept")
        }
    }
}

/// The built `boxofficectl` binary run as an operator would: flags, exit codes, JSON on stdout.
@Suite("boxofficectl as a process")
struct BoxOfficeCtlProcessTests {
    /// Runs the `boxofficectl` built beside the test bundle; returns its exit status, stdout and stderr.
    /// - Parameter environment: when given, the process's whole environment (else the tests' own).
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (
        status: Int32, out: String, err: String
    ) {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = folder.appendingPathComponent("boxofficectl")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: \(binary.path)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)
        )
    }

    @Test("shows --json, seats, a failed release and cancel, each with its exit code")
    func commandLine() async throws {
        try await Harness.run("ctl-process") { harness in
            let (booking, _) = try await OperatorConsoleTests.knownState(harness)
            let url = try #require(TestRedis.url)
            let common = [
                "--redis", "redis://\(url.host):\(url.port)/\(url.database)", "--prefix", harness.keys.prefix,
            ]

            let shows = try Self.run(["shows", "--json"] + common)
            #expect(shows.status == 0, "\(shows.err)")
            let parsed = try JSONSerialization.jsonObject(with: Data(shows.out.utf8)) as? [String: Any]
            #expect((parsed?["shows"] as? [Any])?.count == 2)

            let seats = try Self.run(["seats", "1"] + common)
            #expect(seats.status == 0 && seats.out.contains("SCREEN") && seats.out.contains("A  x x o o o  A"))

            let missing = try Self.run(["release", "0123456789abcdef0123"] + common)
            #expect(missing.status == 1 && missing.err.contains("not found"))
            #expect(try Self.run(["shows", "--date", "tomorrow"] + common).status == 64)

            let cancel = try Self.run(["cancel", "1/\(booking)", "--json"] + common)
            #expect(cancel.status == 0, "\(cancel.err)")
            let report = try JSONSerialization.jsonObject(with: Data(cancel.out.utf8)) as? [String: Any]
            #expect(report?["refund"] as? String == "REFUNDED")
            let users = try Self.run(["users"] + common)
            #expect(users.status == 0 && users.out.contains("olga") && !users.out.contains("argon2"))
        }
    }

    @Test("load: the example programme loads, reloads unchanged, a broken file loads nothing and names its errors")
    func loadProgramme() async throws {
        try await Harness.run("ctl-load") { harness in
            let url = try #require(TestRedis.url)
            let common = [
                "--redis", "redis://\(url.host):\(url.port)/\(url.database)", "--prefix", harness.keys.prefix,
            ]
            let example = try Self.upcomingExample()
            defer { try? FileManager.default.removeItem(atPath: example) }

            let dry = try Self.run(["load", example, "--dry-run", "--json"] + common)
            #expect(dry.status == 0, "\(dry.err)")
            let planned = try JSONSerialization.jsonObject(with: Data(dry.out.utf8)) as? [String: Any]
            let plannedShows = planned?["shows"] as? [[String: Any]] ?? []
            // The example's four shows are added; the harness's upcoming shows 1 and 3 are withdrawn (2 has started).
            #expect(plannedShows.filter { $0["change"] as? String == "added" }.count == 4)
            #expect(
                try await harness.redisCommand("EXISTS", harness.keys.show(ShowID("lh-20261212-1930")!)).integer == 0)

            let loaded = try Self.run(["load", example] + common)
            #expect(loaded.status == 0 && loaded.out.contains("4 added, 2 withdrawn"), "\(loaded.out)")
            #expect(loaded.out.contains("Withdrawn: 2 shows: 1, 3.\n"), "\(loaded.out)")
            let again = try Self.run(["load", example] + common)
            #expect(again.status == 0 && again.out.contains("4 unchanged"), "\(again.out)")

            let seats = try Self.run(["seats", "lh-20261212-1930"] + common)
            #expect(seats.out.contains("D  o o   o o o # o o o o   o o  D"), "\(seats.out)")

            let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).toml")
            let text = try String(contentsOfFile: example, encoding: .utf8)
                .replacingOccurrences(of: "screen = \"2\"", with: "screen = \"3\"")
            try text.write(to: broken, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: broken) }
            let refused = try Self.run(["load", broken.path] + common)
            #expect(refused.status == 65 && refused.out.isEmpty)
            #expect(
                refused.err.contains("\(broken.path):") && refused.err.contains(".screen: unknown screen \"3\""),
                "the path as given")
        }
    }

    /// The shipped example programme with its date moved ten days ahead, in a temporary file: the example's own
    /// date passes one day, and a show that has started is refused.
    static func upcomingExample() throws -> String {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/examples/programme.toml").standardized.path
        let day = Timestamp(secondsSinceEpoch: Int(Date().timeIntervalSince1970) + 10 * 86_400).description.prefix(10)
        let text = try String(contentsOfFile: example, encoding: .utf8)
            .replacingOccurrences(of: "= 2026-12-12T", with: "= \(day)T")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("programme-\(UUID()).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("load: --force names shows; a bare or unknown one, or a new show that has started, loads nothing")
    func loadArguments() async throws {
        try await Harness.run("ctl-load-args") { harness in
            let url = try #require(TestRedis.url)
            let common = [
                "--redis", "redis://\(url.host):\(url.port)/\(url.database)", "--prefix", harness.keys.prefix,
            ]
            let example = try Self.upcomingExample()
            defer { try? FileManager.default.removeItem(atPath: example) }
            let lighthouse = harness.keys.show(ShowID("lh-20261212-1930")!)

            let bare = try Self.run(["load", example, "--force"] + common)
            #expect(bare.status == 64 && bare.err.contains("--force <show>"), "\(bare.err)")
            let unknown = try Self.run(["load", example, "--force", "lh-20261212-1930", "nosuch"] + common)
            #expect(unknown.status == 64, "\(unknown.err)")
            #expect(unknown.err.contains("--force names shows neither in the file nor on sale: nosuch"))
            #expect(try await harness.redisCommand("EXISTS", lighthouse).integer == 0, "nothing loaded")

            // One show a year in the past, as a wrong year would put it.
            let text = try String(contentsOfFile: example, encoding: .utf8)
            let past = example + ".past.toml"
            let first = try #require(text.range(of: "start = 20"))
            try text.replacingCharacters(in: first.upperBound..<text.index(first.upperBound, offsetBy: 2), with: "25")
                .write(toFile: past, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: past) }
            let refused = try Self.run(["load", past] + common)
            #expect(refused.status == 65 && refused.out.isEmpty, "\(refused.out)")
            #expect(refused.err.contains("\(past):96: shows[1].start: 2025-"), "\(refused.err)")
            #expect(refused.err.contains("(Europe/London) has already passed") && refused.err.contains("--allow-past"))
            #expect(try await harness.redisCommand("EXISTS", lighthouse).integer == 0, "nothing loaded")
            let allowed = try Self.run(["load", past, "--allow-past"] + common)
            #expect(allowed.status == 0 && allowed.out.contains("4 added"), "\(allowed.out) \(allowed.err)")
            let reloaded = try Self.run(["load", past] + common)
            #expect(reloaded.status == 0 && reloaded.out.contains("4 unchanged"), "a loaded show may have started")
        }
    }
}
