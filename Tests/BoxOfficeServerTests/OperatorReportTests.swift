import BoxOfficeCore
import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import OperatorConsole
import RedisClient
import Testing

/// The operator's figures tell the truth: shows on sale only, sold seats by their bookings, screens by their current
/// name, times in the theatre's zone, takings by film and day, and no benchmark data after `--cleanup`.
@Suite("Operator reports: figures, filters, time zone, takings")
struct OperatorReportTests {
    /// The harness's theatre with `change` applied to its screen and shows, loaded again.
    static func reload(
        _ harness: Harness, screen: Screen, shows keep: (Show) -> Bool = { _ in true },
        options: LoadOptions = LoadOptions()
    ) async throws {
        let theatre = harness.theatre
        _ = try await harness.services.theatre.load(
            Theatre(name: theatre.name, screens: [screen], movies: theatre.movies, shows: theatre.shows.filter(keep)),
            options: options)
    }

    @Test("stats and shows leave withdrawn shows out; shows --all lists them, and the started one")
    func withdrawnShows() async throws {
        try await Harness.run("ops-withdrawn") { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let console = OperatorConsoleTests.console(harness)
            let before = try await console.stats()
            #expect((before.upcomingShows, before.withdrawnShows, before.seats) == (2, 0, 30))

            try await Self.reload(harness, screen: harness.theatre.screens[0], shows: { $0.id.rawValue != "3" })
            let stats = try await console.stats()
            #expect((stats.upcomingShows, stats.withdrawnShows, stats.seats) == (1, 1, 15))
            #expect((stats.seatsSold, stats.seatsHeld, stats.seatsFree) == (2, 1, 12))
            #expect(stats.text.contains("upcoming shows withdrawn") && stats.text.contains("30") == false)

            #expect(try await console.shows().shows.map(\.id) == ["1"])
            let all = try await console.shows(all: true)
            #expect(Set(all.shows.map(\.id)) == ["1", "2", "3"])
            #expect(all.shows.first { $0.id == "3" }?.withdrawn == true)
            #expect(all.text.contains("(withdrawn)"))
            let today = try #require(CalendarDay(String(all.shows[0].start.prefix(10))))
            #expect(try await console.shows(on: today).shows.contains { $0.id == "3" } == false)
        }
    }

    @Test("SOLD counts a booking's seats that a forced load took out of the layout")
    func soldSeatsOutsideTheLayout() async throws {
        try await Harness.run("ops-sold") { harness in
            let olga = try await harness.customer("olga")
            _ = try await harness.session(olga)
            try await harness.expectOK(olga, "HOLD A4 A5")
            _ = try await harness.expectOK(olga, "PAY tok_visa")
            let smaller = Screen(id: "S", name: "Test Screen", seatsPerRow: [3, 5, 5])
            try await Self.reload(harness, screen: smaller, options: LoadOptions(force: [ShowID("1")!]))
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.seats(ShowID("1")!), "A4").integer == 0)

            let console = OperatorConsoleTests.console(harness)
            let show = try #require(try await console.shows().shows.first { $0.id == "1" })
            #expect((show.seats, show.sold, show.held, show.free) == (13, 2, 0, 13))
            #expect(try await console.stats().seatsSold == 2)
        }
    }

    @Test("the show list names a screen by its current name, without the seat map being opened")
    func renamedScreen() async throws {
        try await Harness.run("ops-rename") { harness in
            let console = OperatorConsoleTests.console(harness)
            #expect(try await console.shows().shows.first?.screenName == "Test Screen")
            try await Self.reload(harness, screen: Screen(id: "S", name: "Grand Hall", seatsPerRow: [5, 5, 5]))
            let shows = try await console.shows()
            #expect(shows.shows.map(\.screenName) == ["Grand Hall", "Grand Hall"])
            #expect(shows.text.contains("S Grand Hall") && !shows.text.contains("Test Screen"))
        }
    }

    @Test("times are the theatre's local time from the theatre hash's time_zone; UTC without one, or when asked")
    func theatreTime() async throws {
        try await Harness.run("ops-zone") { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let console = OperatorConsoleTests.console(harness)
            let utc = try await console.shows()
            #expect(utc.timeZone == "UTC" && utc.text.hasPrefix("SHOW  START (UTC)"))
            let start = try #require(Timestamp(iso: utc.shows[0].start))

            _ = try await harness.redisCommand("HSET", harness.keys.theatre, "time_zone", "Asia/Kolkata")
            let local = try await console.shows()
            let shifted = start.adding(seconds: 5 * 3600 + 1800).description  // India: UTC+05:30, no summer time
            let expected = String(shifted.dropLast()).replacingOccurrences(of: "T", with: " ")
            #expect(local.timeZone == "Asia/Kolkata" && local.text.contains("START (Asia/Kolkata)"))
            #expect(local.text.contains(expected), "\(local.text)")
            #expect(local.shows[0].start == utc.shows[0].start, "JSON stays ISO 8601 UTC")
            #expect(try await console.bookings().text.contains(expected))
            let map = try await console.seatMap(of: ShowID("1")!)
            #expect(map.text.contains("\(expected) Asia/Kolkata"), "the seat map's heading is local too")
            #expect(map.start == utc.shows[0].start)
            let localDay = try #require(CalendarDay(String(expected.prefix(10))))
            #expect(try await console.shows(on: localDay).shows.contains { $0.id == "1" }, "--date is a local day")
            let nextDay = start.adding(seconds: 5 * 3600 + 1800 + 86_400).description.prefix(10)
            #expect(try await console.shows(on: CalendarDay(String(nextDay))!).shows.contains { $0.id == "1" } == false)
            #expect(try await console.takings().byDay.map(\.key) == [String(expected.prefix(10))])

            let asked = Console(
                redis: harness.redis, keys: harness.keys, gateway: harness.services.gateway, inUTC: true)
            #expect(try await asked.shows().text.contains("START (UTC)"))
            _ = try await harness.redisCommand("HSET", harness.keys.theatre, "time_zone", "Mars/Olympus_Mons")
            #expect(try await console.shows().timeZone == "UTC", "an unknown zone falls back to UTC")
        }
    }

    @Test("takings sum the confirmed bookings by film and by day, as a table, CSV and JSON; cancelled ones not")
    func takings() async throws {
        try await Harness.run("ops-takings") { harness in
            let (booking, _) = try await OperatorConsoleTests.knownState(harness)
            let ben = try await harness.customer("ben")
            _ = try await harness.session(ben, show: "3")
            try await harness.expectOK(ben, "HOLD C1 C2 C3")
            _ = try await harness.expectOK(ben, "PAY tok_visa")
            let cal = try await harness.customer("cal")
            _ = try await harness.session(cal, show: "3")
            try await harness.expectOK(cal, "HOLD C4")
            let cancelled = try OperatorConsoleTests.bookingID(try await harness.expectOK(cal, "PAY tok_visa").final)
            let console = OperatorConsoleTests.console(harness)
            _ = try await console.cancel(cancelled, of: ShowID("3")!, actor: "test")

            let report = try await console.takings()
            let film = try #require(report.byFilm.first)
            #expect(report.byFilm.count == 1 && film.key == "Test Movie: The Sequel" && film.currency == "EUR")
            #expect((film.bookings, film.seats, film.amount) == (2, 5, 5000), "olga's A1 A2, ben's C1 C2 C3; not cal's")
            let days = Set(try await console.shows(all: true).shows.filter { $0.id != "2" }.map { $0.start.prefix(10) })
            #expect(report.byDay.map(\.key).allSatisfy { days.contains($0[...]) })
            #expect(report.byDay.map(\.amount).reduce(0, +) == 5000 && report.byDay.map(\.seats).reduce(0, +) == 5)
            #expect(report.text.contains("50.00 EUR") && report.text.contains("DAY (UTC)"))
            let csv = report.csv.split(separator: "\r\n").map(String.init)
            #expect(csv.first == "by,key,bookings,seats,takings,currency")
            #expect(csv.contains("film,Test Movie: The Sequel,2,5,50.00,EUR"))
            #expect(csv.filter { $0.hasPrefix("day,") }.count == report.byDay.count)
            #expect(TakingsReport.csvField("Paper, \"Moons\"") == "\"Paper, \"\"Moons\"\"\"")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
            #expect((json["byFilm"] as? [Any])?.count == 1 && json["timeZone"] as? String == "UTC")
            _ = booking

            let url = try #require(TestRedis.url)
            let common = [
                "--redis", "redis://\(url.host):\(url.port)/\(url.database)", "--prefix", harness.keys.prefix,
            ]
            let printed = try BoxOfficeCtlProcessTests.run(["takings", "--csv"] + common)
            #expect(printed.status == 0 && printed.out == report.csv, "\(printed.err)")
            #expect(try BoxOfficeCtlProcessTests.run(["takings", "--csv", "--json"] + common).status == 64)
        }
    }

    @Test("boxoffice-bench --cleanup leaves nothing of its run in the operator's figures")
    func benchCleanup() async throws {
        // The bench holds up to 6 seats at once, and its customers start sessions as fast as the daemon answers
        // (a fast second would pass the 30 starts a customer may make in ten minutes).
        let policy = SessionPolicy(
            timeoutMilliseconds: 300_000, maxSeats: 6, paymentAttempts: 3, paymentGraceMilliseconds: 60_000,
            startsPerCustomer: 10_000, startsPerKiosk: 10_000, openSessionsPerKiosk: 10_000)
        try await Harness.run("ops-bench", policy: policy) { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let console = OperatorConsoleTests.console(harness)
            let (stats, users, takings) = (
                try await console.stats(), try await console.users(), try await console.takings()
            )
            let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let bench = folder.appendingPathComponent("boxoffice-bench")
            try #require(FileManager.default.isExecutableFile(atPath: bench.path), "build first: \(bench.path)")
            let url = try #require(TestRedis.url)
            let process = Process()
            process.executableURL = bench
            process.arguments = [
                "--connect", "127.0.0.1:\(harness.port)", "--redis", "redis://\(url.host):\(url.port)/\(url.database)",
                "--prefix", harness.keys.prefix, "--kiosk", Harness.kioskID.rawValue, "--secret", Harness.kioskSecret,
                "--kiosks", "3", "--duration", "1", "--shows", "1", "--pay-rate", "1", "--decline-rate", "0",
                "--cleanup",
            ]
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let warned = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(printed)\n\(warned)")
            #expect(printed.contains("cleanup: removed the run's 2 shows"), "\(printed)")
            let booked = printed.split(separator: "\n").first { $0.hasPrefix("bookings ") }
                .flatMap { Int($0.dropFirst("bookings ".count).prefix { $0.isNumber }) }
            #expect((booked ?? 0) > 0, "the bench booked seats before cleaning up: \(printed)")
            #expect(warned.contains("WARNING: this is a debug build"))

            let after = try await console.stats()
            #expect(after.bookings == stats.bookings && after.revenue == stats.revenue)
            #expect((after.upcomingShows, after.seats) == (stats.upcomingShows, stats.seats))
            #expect(try await console.users().users.map(\.name) == users.users.map(\.name))
            #expect(try await console.takings().byFilm == takings.byFilm)
            #expect(try await console.shows(all: true).shows.allSatisfy { !$0.id.hasPrefix("bench-") })
            let left = try await harness.redis.scan(matching: "\(harness.keys.prefix):*bench*")
            #expect(left.isEmpty, "\(left)")
        }
    }
}
