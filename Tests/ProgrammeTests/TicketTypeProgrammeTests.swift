import BoxOfficeCore
import Foundation
import Programme
import Testing

@Suite("Programme files: ticket types, their prices and rules, and VAT")
struct TicketTypeProgrammeTests {
    /// A valid programme with ticket types; tests break it one line at a time.
    static let valid = """
        [theatre]
        name = "Test Cinema"
        time_zone = "Europe/Berlin"
        currency = "EUR"
        vat_percent = 5.5

        [[ticket_types]]
        id = "adult"
        name = "Adult"

        [[ticket_types]]
        id = "child"
        name = "Child"
        ratings = ["U", "PG"]

        [[ticket_types]]
        id = "companion"
        name = "Companion"
        companion = true

        [prices.evening]
        standard = 1200
        premium = 1500
        wheelchair = 1200
        child = { standard = 800, premium = 1000 }
        companion = { standard = 0 }

        [[screens]]
        id = "1"
        name = "One"
        rows = ["A w_ss", "B pp_p"]

        [[films]]
        id = "f"
        title = "Film"
        runtime = 100
        rating = "PG"

        [[shows]]
        id = "s1"
        film = "f"
        screen = "1"
        start = 2026-12-01T19:30:00
        prices = "evening"

        [[shows]]
        id = "s2"
        film = "f"
        screen = "1"
        start = 2026-12-01T21:30:00
        prices = { standard = 1000, premium = 1300, wheelchair = 1000 }
        """

    @Test("Types come in the file's order, the default first at the price list's prices; VAT in basis points")
    func validFile() throws {
        let programme = try Programme(parsing: Self.valid, file: "p.toml")
        let show = try #require(programme.theatre.shows.first)
        #expect(show.ticketTypes.map(\.id) == ["adult", "child", "companion"])
        #expect(show.ticketTypes[0].prices == [.standard: 1200, .premium: 1500, .wheelchair: 1200])
        #expect(show.ticketTypes[0].ratings == nil && !show.ticketTypes[0].isCompanion)
        #expect(show.ticketTypes[1].prices == [.standard: 800, .premium: 1000])
        #expect(show.ticketTypes[1].ratings == ["U", "PG"] && show.ticketTypes[1].allows(rating: "PG"))
        #expect(!show.ticketTypes[1].allows(rating: "15"))
        #expect(show.ticketTypes[2].isCompanion && show.ticketTypes[2].prices == [.standard: 0])
        #expect(show.vatBasisPoints == 550)
        let inline = try #require(programme.theatre.shows.last)
        #expect(inline.ticketTypes.map(\.id) == ["adult"], "a price list that prices no other type sells the default")
    }

    @Test("Without ticket types or VAT a show has neither, as before ticket types existed")
    func noTypes() throws {
        let programme = try Programme(parsing: ProgrammeTests.valid, file: "p.toml")
        #expect(programme.theatre.shows.allSatisfy { $0.ticketTypes.isEmpty && $0.vatBasisPoints == nil })
    }

    @Test("An inline price list prices other types too")
    func inlineTypes() throws {
        let text = Self.valid.replacingOccurrences(
            of: "prices = { standard = 1000, premium = 1300, wheelchair = 1000 }",
            with: "prices = { standard = 1000, premium = 1300, wheelchair = 1000, child = { standard = 500 } }")
        let show = try #require(try Programme(parsing: text, file: "p.toml").theatre.shows.last)
        #expect(show.ticketTypes.map(\.id) == ["adult", "child"] && show.ticketTypes[1].prices == [.standard: 500])
    }

    @Test("The shipped example sells five types with VAT at 20 %")
    func shippedExample() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/examples/programme.toml").standardized.path
        let show = try #require(try Programme(contentsOf: path).theatre.shows.first)
        #expect(show.ticketTypes.map(\.id) == ["adult", "child", "senior", "student", "companion"])
        #expect(show.vatBasisPoints == 2000)
    }

    /// One line of the valid file replaced, and the error expected: line, field, and a part of the message.
    static let broken: [(replace: String, with: String, line: Int, field: String, message: String)] = [
        (
            "child = { standard = 800, premium = 1000 }", "chlid = { standard = 800 }", 25,
            "prices.evening.chlid", "or a ticket type (child, companion)"
        ),
        (
            "companion = { standard = 0 }", "adult = { standard = 0 }", 26, "prices.evening.adult",
            "is the default ticket type"
        ),
        (
            "child = { standard = 800, premium = 1000 }", "child = { box = 800 }", 25, "prices.evening.child.box",
            "not a seat kind"
        ),
        ("id = \"child\"", "id = \"premium\"", 12, "ticket_types[2].id", "not a seat kind"),
        ("id = \"child\"", "id = \"Child!\"", 12, "ticket_types[2].id", "1-16 of a-z 0-9 _ -"),
        ("id = \"companion\"", "id = \"child\"", 17, "ticket_types[3].id", "defined twice"),
        (
            "name = \"Adult\"", "name = \"Adult\"\nratings = [\"U\"]", 7, "ticket_types[1]",
            "the first ticket type is the default"
        ),
        ("companion = true", "companion = \"yes\"", 19, "ticket_types[3].companion", "true or false"),
        ("ratings = [\"U\", \"PG\"]", "ratings = [\"U\", \"P G\"]", 14, "ticket_types[2].ratings", "without spaces"),
        ("ratings = [\"U\", \"PG\"]", "rating = \"U\"", 14, "ticket_types[2].rating", "unknown field"),
        ("vat_percent = 5.5", "vat_percent = 101", 5, "theatre.vat_percent", "from 0 to 100"),
        ("vat_percent = 5.5", "vat_percent = 5.555", 5, "theatre.vat_percent", "at most two decimals"),
    ]

    @Test(
        "Each error in ticket types, their prices or the VAT rate names the line and the field",
        arguments: broken.indices)
    func validation(index: Int) throws {
        let broken = Self.broken[index]
        #expect(Self.valid.contains(broken.replace), "the test's text to replace is in the valid file")
        let text = Self.valid.replacingOccurrences(of: broken.replace, with: broken.with)
        let errors = try #require(throws: ProgrammeErrors.self) { try Programme(parsing: text, file: "p.toml") }
        let error = try #require(errors.errors.first { $0.field == broken.field }, "\(errors)")
        #expect(error.line == broken.line, "\(error)")
        #expect(error.message.contains(broken.message), "\(error)")
    }
}
