import TOML
import Testing

@Suite("Reading valid TOML")
struct ValidDocumentTests {
    @Test(
        "Documents read into tables, each value with its line",
        arguments: [
            ("", ""),
            (
                """
                # A comment line, then a blank one

                a = 1 # a comment after a value
                \tb\t=\t2\t
                """,
                """
                a: 1 @3
                b: 2 @4
                """
            ),
            ("\u{FEFF}a = 1\r\nb = 2\r\n", "a: 1 @1\nb: 2 @2"),
            (
                """
                bare_Key-1 = 1
                1234 = 2
                "quoted key" = 3
                'literal "key"' = 4
                "" = 5
                site."google.com" = true
                a . b . 'c' = 6
                """,
                """
                bare_Key-1: 1 @1
                1234: 2 @2
                "quoted key": 3 @3
                "literal "key"": 4 @4
                "": 5 @5
                site: table @6
                site."google.com": true @6
                a: table @7
                a.b: table @7
                a.b.c: 6 @7
                """
            ),
            (
                """
                title = "Programme"
                [owner]
                name = "Tom"
                [database.server]
                port = 8000
                [database]
                enabled = true
                """,
                """
                title: "Programme" @1
                owner: table @2
                owner.name: "Tom" @3
                database: table @6
                database.server: table @4
                database.server.port: 8000 @5
                database.enabled: true @7
                """
            ),
            (
                """
                [[shows]]
                film = "Alien"
                [shows.screen]
                name = "A"

                [[shows]]
                film = "Heat"
                [[shows.times]]
                at = 20:15
                """,
                """
                shows: array @1
                shows[0]: table @1
                shows[0].film: "Alien" @2
                shows[0].screen: table @3
                shows[0].screen.name: "A" @4
                shows[1]: table @6
                shows[1].film: "Heat" @7
                shows[1].times: array @8
                shows[1].times[0]: table @8
                shows[1].times[0].at: local time 20:15:00 @9
                """
            ),
            (
                """
                fruit.apple.colour = "red"
                fruit.apple.taste.sweet = true
                [fruit.apple.texture]
                smooth = true
                """,
                """
                fruit: table @1
                fruit.apple: table @1
                fruit.apple.colour: "red" @1
                fruit.apple.taste: table @2
                fruit.apple.taste.sweet: true @2
                fruit.apple.texture: table @3
                fruit.apple.texture.smooth: true @4
                """
            ),
            (
                """
                [x.y.z.w]
                [x]
                """,
                """
                x: table @2
                x.y: table @1
                x.y.z: table @1
                x.y.z.w: table @1
                """
            ),
            (
                """
                seats = [
                  "A1",
                  # a comment between elements
                  "A2", 3,
                  [1, 2.5],
                  { row = "C" },
                ]
                point = { x = 1, y.z = 2 }
                empty = []
                none = {}
                """,
                """
                seats: array @1
                seats[0]: "A1" @2
                seats[1]: "A2" @4
                seats[2]: 3 @4
                seats[3]: array @5
                seats[3][0]: 1 @5
                seats[3][1]: 2.5 @5
                seats[4]: table @6
                seats[4].row: "C" @6
                point: table @8
                point.x: 1 @8
                point.y: table @8
                point.y.z: 2 @8
                empty: array @9
                none: table @10
                """
            ),
            (
                """
                poem = \"\"\"
                Roses
                are red\"\"\"
                path = '''
                C:\\temp'''
                after = [ \"\"\"x
                y\"\"\", 1 ]
                last = 1
                """,
                """
                poem: "Roses\\nare red" @1
                path: "C:\\\\temp" @4
                after: array @6
                after[0]: "x\\ny" @6
                after[1]: 1 @7
                last: 1 @8
                """
            ),
        ])
    func documents(text: String, outline: String) throws {
        #expect(try TOMLDocument(parsing: text).root.outline == outline)
    }

    @Test(
        "Strings of the four kinds, escapes resolved",
        arguments: [
            (#"s = "tab\there""#, "tab\there"),
            (#"s = "\"quoted\" and \\ back""#, #""quoted" and \ back"#),
            (#"s = "\u00E9\U0001F600""#, "é😀"),
            (#"s = "\b\f\n\r""#, "\u{08}\u{0C}\n\r"),
            (#"s = 'C:\Users\nodejs'"#, #"C:\Users\nodejs"#),
            ("s = \"\"\"\nfirst\nsecond\n\"\"\"", "first\nsecond\n"),
            ("s = \"\"\"\\\n   The quick \\\n\n   brown fox.\\\n   \"\"\"", "The quick brown fox."),
            ("s = \"\"\"ends \\  \t\n  here\"\"\"", "ends here"),
            ("s = \"\"\"a\r\nb \\t\"\"\"", "a\nb \t"),
            (#"s = """He said "hi".""""#, #"He said "hi"."#),
            ("s = \"\"\"\"\"two quotes each side\"\"\"\"\"", "\"\"two quotes each side\"\""),
            ("s = '''\nraw \\n and ''quotes'''''", "raw \\n and ''quotes''"),
        ])
    func strings(text: String, expected: String) throws {
        #expect(try TOMLDocument(parsing: text).root["s"]?.string == expected)
    }

    @Test(
        "Integers, floats and booleans",
        arguments: [
            ("42", .integer(42)), ("+99", .integer(99)), ("-17", .integer(-17)), ("0", .integer(0)),
            ("-0", .integer(0)), ("5_349_221", .integer(5_349_221)), ("0xDEAD_beef", .integer(0xDEAD_BEEF)),
            ("0o755", .integer(0o755)), ("0b1101_0110", .integer(0b1101_0110)),
            ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
            ("+1.0", .float(1)), ("3.1415", .float(3.1415)), ("-0.01", .float(-0.01)), ("5e+22", .float(5e22)),
            ("1e06", .float(1e6)), ("-2E-2", .float(-0.02)), ("6.626e-34", .float(6.626e-34)),
            ("224_617.445_991", .float(224_617.445_991)), ("0.0", .float(0)), ("inf", .float(.infinity)),
            ("+inf", .float(.infinity)), ("-inf", .float(-.infinity)), ("true", .boolean(true)),
            ("false", .boolean(false)),
        ] as [(String, TOMLValue.Kind)])
    func numbers(text: String, expected: TOMLValue.Kind) throws {
        #expect(try TOMLDocument(parsing: "n = \(text)").root["n"]?.kind == expected)
    }

    @Test("nan, signed or not, is a float")
    func notANumber() throws {
        let root = try TOMLDocument(parsing: "a = nan\nb = +nan\nc = -nan").root
        #expect(root.keys.allSatisfy { root[$0]?.float?.isNaN == true })
    }

    @Test(
        "Dates and times, with T, t or a space between, seconds optional",
        arguments: [
            ("1979-05-27T07:32:00Z", "offset date-time 1979-05-27T07:32:00+00:00"),
            ("1979-05-27t07:32:00z", "offset date-time 1979-05-27T07:32:00+00:00"),
            ("1979-05-27T00:32:00-07:00", "offset date-time 1979-05-27T00:32:00-07:00"),
            ("1979-05-27 00:32:00.999999+05:30", "offset date-time 1979-05-27T00:32:00.999999000+05:30"),
            ("1979-05-27T07:32:00", "local date-time 1979-05-27T07:32:00"),
            ("1979-05-27 07:32", "local date-time 1979-05-27T07:32:00"),
            ("1979-05-27T07:32Z", "offset date-time 1979-05-27T07:32:00+00:00"),
            ("1979-05-27", "local date 1979-05-27"),
            ("2024-02-29", "local date 2024-02-29"),
            ("2000-02-29", "local date 2000-02-29"),
            ("07:32:00", "local time 07:32:00"),
            ("00:32:00.005", "local time 00:32:00.005000000"),
            ("00:32:00.1234567891", "local time 00:32:00.123456789"),
            ("23:59", "local time 23:59:00"),
        ])
    func dateTimes(text: String, outline: String) throws {
        #expect(try TOMLDocument(parsing: "d = \(text) # a comment").root["d"]?.kind.outline == outline)
    }

    @Test("Typed accessors give the value of their kind and nil for any other")
    func accessors() throws {
        let root = try TOMLDocument(
            parsing: """
                s = "x"
                i = 1
                f = 1.5
                b = true
                odt = 2026-11-28T20:15:00Z
                ldt = 2026-11-28T20:15:00
                ld = 2026-11-28
                lt = 20:15:00
                a = [1]
                t = {}
                """
        ).root
        #expect(root["s"]?.string == "x" && root["i"]?.string == nil)
        #expect(root["i"]?.integer == 1 && root["f"]?.integer == nil)
        #expect(root["f"]?.float == 1.5 && root["i"]?.float == nil, "integers do not pass for floats")
        #expect(root["b"]?.bool == true && root["s"]?.bool == nil)
        #expect(root["odt"]?.offsetDateTime?.offsetMinutes == 0 && root["ldt"]?.offsetDateTime == nil)
        #expect(root["ldt"]?.localDateTime?.time.hour == 20 && root["odt"]?.localDateTime == nil)
        #expect(root["ld"]?.localDate?.day == 28 && root["ldt"]?.localDate == nil)
        #expect(root["lt"]?.localTime?.minute == 15 && root["ldt"]?.localTime == nil)
        #expect(root["a"]?.array?.first?.integer == 1 && root["t"]?.array == nil)
        #expect(root["t"]?.table?.keys == [] && root["a"]?.table == nil)
        #expect(root["missing"] == nil)
    }

    @Test("A programme file: each show's fields point back to their lines")
    func programme() throws {
        let root = try TOMLDocument(
            parsing: """
                cinema = "Odeon"

                [[screens]]
                name = "A"
                rows = 12

                [[shows]]
                film = "Alien"
                screen = "A"
                starts = 2026-11-28 20:15

                [[shows]]
                film = "Heat"
                screen = "Z"
                starts = 2026-11-28T22:30:00
                """
        ).root
        let shows = try #require(root["shows"]?.array)
        #expect(shows.map(\.line) == [7, 12])
        let second = try #require(shows[1].table)
        #expect(second.line == 12 && second.keys == ["film", "screen", "starts"])
        #expect(second["screen"]?.string == "Z" && second["screen"]?.line == 14)
        #expect(second["starts"]?.localDateTime?.date.day == 28 && second["starts"]?.line == 15)
        #expect(root["screens"]?.array?.first?.table?["rows"]?.line == 5)
    }

    @Test("Documents up to 1 MiB and tables and arrays up to 64 deep are accepted")
    func limits() throws {
        let comment = "# " + String(repeating: "x", count: TOMLDocument.maximumSize - 2)
        #expect(try TOMLDocument(parsing: comment).root.keys.isEmpty)
        let arrays = "a = " + String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try TOMLDocument(parsing: arrays).root["a"] != nil)
        let header = "[" + Array(repeating: "t", count: 64).joined(separator: ".") + "]"
        #expect(try TOMLDocument(parsing: header).root["t"] != nil)
    }
}
