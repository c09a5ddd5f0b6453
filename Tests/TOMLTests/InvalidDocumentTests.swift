import TOML
import Testing

@Suite("Refusing invalid TOML")
struct InvalidDocumentTests {
    @Test(
        "Each mistake is refused with its line and a clear message",
        arguments: [
            // Keys and tables defined twice
            ("a = 1\na = 2", 2, #"duplicate key "a""#),
            ("a.b = 1\na = 2", 2, #"duplicate key "a""#),
            ("a = 1\na.b = 2", 2, #""a" is already defined as a value on line 1"#),
            ("t = { x = 1, x = 2 }", 1, #"duplicate key "x""#),
            ("[a]\nx = 1\n\n[a]", 4, #"table "a" is already defined on line 1"#),
            ("[a]\nb = 1\n[a.b]", 3, #""a.b" is already defined as a value on line 2"#),
            ("a.b.c = 1\n[a.b]", 2, #"table "a.b" is already defined by dotted keys on line 1"#),
            ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, #"table "b" comes from a header on line 1"#),
            ("a = { b = 1 }\na.c = 2", 2, #"cannot extend "a", an inline table defined on line 1"#),
            ("a = { b = 1 }\n[a.c]", 2, #"cannot extend "a", an inline table"#),
            ("a = [1]\n[[a]]", 2, #"cannot append to "a", a static array defined on line 1"#),
            ("[[a]]\n[a]", 2, #""a" is already an array of tables, since line 1"#),
            ("[a]\n[[a]]", 2, #""a" is already a table, defined on line 1"#),
            ("[[a]]\n[[a]]\nb.c = 1\n[a.b]", 4, #"table "a.b" is already defined by dotted keys on line 3"#),
            // Strings
            (#"s = "\q""#, 1, #"invalid escape sequence \q"#),
            (#"s = "\uD800""#, 1, #"\uD800 is not a Unicode scalar value"#),
            (#"s = "\U00110000""#, 1, "is not a Unicode scalar value"),
            (#"s = "\u12""#, 1, #"\u needs exactly 4 hexadecimal digits"#),
            ("s = \"abc", 1, "unterminated string"),
            ("s = \"abc\nb = 1", 1, "unterminated string"),
            ("s = 'abc\nb = 1", 1, "unterminated string"),
            ("x = 1\ns = \"\"\"abc\n\nb = 1", 2, "unterminated multi-line string"),
            ("s = '''abc", 1, "unterminated multi-line string"),
            ("s = '''a''''''", 1, "too many quotation marks"),
            ("s = \"a\u{7F}\"", 1, "control character U+007F in a string"),
            ("s = \"\"\"a\u{0}\"\"\"", 1, "control character U+0000 in a string"),
            // Numbers
            ("n = 012", 1, #"invalid number "012": leading zeros are not allowed"#),
            ("n = -01.5", 1, "leading zeros are not allowed"),
            ("n = 1__0", 1, "underscores must sit between digits"),
            ("n = 1_", 1, "underscores must sit between digits"),
            ("n = 1.", 1, "expected digits after the decimal point"),
            ("n = 1._5", 1, "expected digits after the decimal point"),
            ("n = .5", 1, #"invalid value ".5""#),
            ("n = 1e", 1, "expected digits in the exponent"),
            ("n = 1e+-5", 1, "expected digits in the exponent"),
            ("n = 0x", 1, "expected base-16 digits"),
            ("n = 0b102", 1, "expected base-2 digits"),
            ("n = +0x10", 1, "a sign is not allowed before 0x, 0o or 0b"),
            ("n = 9223372036854775808", 1, "out of the range of a 64-bit integer"),
            ("n = 0x8000000000000000", 1, "out of the range of a 64-bit integer"),
            ("n = 1.5.3", 1, #"unexpected ".3""#),
            ("b = truex", 1, #"invalid value "truex""#),
            // Dates and times
            ("d = 1979-13-01", 1, "month 13 out of range 1...12"),
            ("d = 2023-02-29", 1, "day 29 out of range 1...28"),
            ("d = 1979-05-27T25:00:00", 1, "hour 25 out of range 0...23"),
            ("d = 1979-05-27T07:32:00+24:00", 1, "offset hours 24 out of range"),
            ("d = 1979-05-27T", 1, "expected 2 digits for the hour"),
            ("d = 1979-05-27T07:32:00.", 1, "expected digits after the decimal point of the seconds"),
            ("d = 1979-5-27", 1, "expected 2 digits for the month"),
            ("d = 07:32:00Z", 1, "expected a new line after the value, found 'Z'"),
            // Structure
            ("a =", 1, "missing value"),
            ("a = # nothing", 1, "missing value"),
            ("a = 1 2", 1, "expected a new line after the value, found '2'"),
            ("a = \"x\" y", 1, "expected a new line after the value, found 'y'"),
            ("key", 1, #"expected '=' after the key "key", found end of input"#),
            ("= 1", 1, "expected a key, found '='"),
            ("\"\"\"key\"\"\" = 1", 1, "a multi-line string cannot be a key"),
            ("a = ]", 1, "expected a value, found ']'"),
            ("a = [1, 2", 1, "unterminated array"),
            ("a = [\n  1,\n", 1, "unterminated array"),
            ("a = [1]\n[a.b]", 2, #"cannot append to "a", a static array defined on line 1"#),
            ("a = [1 2]", 1, "expected ',' or ']' after an array element, found '2'"),
            ("a = [1,,]", 1, "expected a value, found ','"),
            ("a = { b = 1,\n c = 2 }", 1, "newline inside an inline table"),
            ("a = {\n}", 1, "newline inside an inline table"),
            ("a = { b = 1, }", 1, "trailing comma in an inline table"),
            ("a = { b = 1", 1, "unterminated inline table"),
            ("a = { b = 1 c = 2 }", 1, "expected ',' or '}' in an inline table, found 'c'"),
            ("[a", 1, "expected ']' to close the table header"),
            ("[[a]", 1, "expected ']]' to close the table header"),
            ("[a] x = 1", 1, "expected a new line after the table header, found 'x'"),
            ("# bell \u{07}", 1, "control character U+0007 in a comment"),
            ("a = 1\rb = 2", 1, "carriage return not followed by a line feed"),
            // Lines are counted through multi-line values
            ("a = [\n  1,\n  2,\n]\nb = \"\"\"\nx\n\"\"\"\nb = 1", 8, #"duplicate key "b""#),
        ])
    func refused(text: String, line: Int, message: String) {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text) }
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "the message was: \(error?.message ?? "none")")
    }

    @Test("Columns count Unicode scalars from 1, and the description reads line:column: message")
    func columns() throws {
        let duplicate = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: "a = 1\n  a = 2") }
        #expect(duplicate?.column == 3)
        #expect(duplicate?.description == #"2:3: duplicate key "a""#)
        let garbage = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: #"s = "é" 2"#) }
        #expect(garbage?.line == 1 && garbage?.column == 9)
        let escape = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: "x = 1\ns = \"ab\\q\"") }
        #expect(escape?.line == 2 && escape?.column == 8)
    }

    @Test("Documents over 1 MiB and nesting deeper than 64 are refused")
    func limits() {
        let large = "# " + String(repeating: "x", count: TOMLDocument.maximumSize - 1)
        let tooLarge = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: large) }
        #expect(tooLarge?.message == "document is larger than 1048576 bytes")
        let arrays = "a = " + String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let deepArrays = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: arrays) }
        #expect(deepArrays?.message == "nesting deeper than 64 levels")
        let header = "[" + Array(repeating: "t", count: 65).joined(separator: ".") + "]"
        let deepTables = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: header) }
        #expect(deepTables?.message == "nesting deeper than 64 levels")
        let inline = "a = " + String(repeating: "{ b = ", count: 65) + "1" + String(repeating: " }", count: 65)
        let deepInline = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: inline) }
        #expect(deepInline?.message == "nesting deeper than 64 levels")
    }
}
