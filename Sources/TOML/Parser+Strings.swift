// MARK: The four kinds of string

extension Parser {
    /// Reads a "basic string" on one line, resolving its escapes.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = mark
        advance()
        var text = String.UnicodeScalarView()
        while let scalar = current, scalar != "\"" {
            switch scalar {
            case "\\":
                text.append(try parseEscape())
            case "\n", "\r":
                throw error("unterminated string", at: start)
            default:
                try rejectControl(scalar, in: "a string")
                text.append(scalar)
                advance()
            }
        }
        guard current != nil else { throw error("unterminated string", at: start) }
        advance()
        return String(text)
    }

    /// Reads a 'literal string' on one line, taken as written.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = mark
        advance()
        var text = String.UnicodeScalarView()
        while let scalar = current, scalar != "'" {
            if scalar == "\n" || scalar == "\r" { throw error("unterminated string", at: start) }
            try rejectControl(scalar, in: "a string")
            text.append(scalar)
            advance()
        }
        guard current != nil else { throw error("unterminated string", at: start) }
        advance()
        return String(text)
    }

    /// Reads a """multi-line basic string""": escapes resolved, a backslash at the end of a line joins it to the
    /// next non-blank text, and a newline right after the opening quotes is dropped.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let start = mark
        advance(by: 3)
        _ = try consumeNewline()
        var text = String.UnicodeScalarView()
        while true {
            switch current {
            case nil:
                throw error("unterminated multi-line string", at: start)
            case "\"":
                if try consumeClosingQuotes("\"", appendingTo: &text) { return String(text) }
            case "\\" where isLineEndingBackslash:
                advance()
                try skipBlankSpace()
            case "\\":
                text.append(try parseEscape())
            case let scalar?:
                try appendMultilineScalar(scalar, to: &text)
            }
        }
    }

    /// Reads a '''multi-line literal string''': taken as written, except a newline right after the opening quotes.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let start = mark
        advance(by: 3)
        _ = try consumeNewline()
        var text = String.UnicodeScalarView()
        while true {
            switch current {
            case nil:
                throw error("unterminated multi-line string", at: start)
            case "'":
                if try consumeClosingQuotes("'", appendingTo: &text) { return String(text) }
            case let scalar?:
                try appendMultilineScalar(scalar, to: &text)
            }
        }
    }

    /// Consumes a run of quotes inside a multi-line string: three to five end it, the ones beyond three being
    /// content; fewer are content. Returns whether the string ended.
    private mutating func consumeClosingQuotes(
        _ quote: Unicode.Scalar, appendingTo text: inout String.UnicodeScalarView
    )
        throws(TOMLError) -> Bool
    {
        let count = scalars[index...].prefix { $0 == quote }.count
        guard count <= 5 else { throw error("too many quotation marks at the end of a multi-line string") }
        let content = count >= 3 ? count - 3 : count
        text.append(contentsOf: repeatElement(quote, count: content))
        advance(by: count)
        return count >= 3
    }

    /// Appends one scalar of a multi-line string, a newline (LF or CR LF) becoming a line feed.
    private mutating func appendMultilineScalar(_ scalar: Unicode.Scalar, to text: inout String.UnicodeScalarView)
        throws(TOMLError)
    {
        if try consumeNewline() {
            text.append("\n")
        } else {
            try rejectControl(scalar, in: "a string")
            text.append(scalar)
            advance()
        }
    }

    /// Whether a backslash here is followed by nothing but whitespace to the end of its line.
    private var isLineEndingBackslash: Bool {
        let rest = scalars[(index + 1)...].drop { $0 == " " || $0 == "\t" }
        return rest.first == "\n" || rest.starts(with: "\r\n".unicodeScalars)
    }

    /// Skips whitespace and newlines, after a line-ending backslash.
    private mutating func skipBlankSpace() throws(TOMLError) {
        repeat { skipWhitespace() } while try consumeNewline()
    }

    /// Reads an escape sequence, from its backslash: `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`.
    private mutating func parseEscape() throws(TOMLError) -> Unicode.Scalar {
        let start = mark
        advance()
        let letter = current
        advance()
        switch letter {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u": return try parseUnicodeEscape(digits: 4, at: start)
        case "U": return try parseUnicodeEscape(digits: 8, at: start)
        case nil, "\n", "\r": throw error("unterminated string", at: start)
        case let letter?: throw error("invalid escape sequence \\\(letter)", at: start)
        }
    }

    /// Reads the hexadecimal digits of `\uXXXX` or `\UXXXXXXXX`, which must name a Unicode scalar.
    private mutating func parseUnicodeEscape(digits: Int, at start: Mark) throws(TOMLError) -> Unicode.Scalar {
        let escape = digits == 4 ? "\\u" : "\\U"
        let hex = String(String.UnicodeScalarView(scalars[index...].prefix(digits)))
        guard hex.unicodeScalars.count == digits, hex.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) else {
            throw error("\(escape) needs exactly \(digits) hexadecimal digits", at: start)
        }
        guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else {
            throw error("\(escape)\(hex) is not a Unicode scalar value", at: start)
        }
        advance(by: digits)
        return scalar
    }
}
