/// Reads one TOML document, scalar by scalar, into a `TOMLTable`; every error carries the line and column
/// where reading stopped.
struct Parser {
    /// A position in the document, kept cheaply so that an error found later can point back to it.
    struct Mark {
        let offset: Int
        let line: Int
        let lineStart: Int
    }

    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var lineStart = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" {
            index = 1
            lineStart = 1
        }
    }

    // MARK: The document

    /// Reads the whole document: lines of `key = value`, `[table]` and `[[array.of.tables]]`.
    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        let root = TableBuilder(origin: .header, line: 1, depth: 0)
        var section = root
        while current != nil {
            skipWhitespace()
            switch current {
            case "[":
                section = try parseHeader(in: root)
                try finishLine(after: "the table header")
            case nil, "#", "\n", "\r":
                try finishLine(after: "the comment")
            default:
                try parseKeyValue(into: section)
                try finishLine(after: "the value")
            }
        }
        return root.build()
    }

    /// Reads `key = value`, from the key to the end of the value, and adds it to `table`.
    mutating func parseKeyValue(into table: TableBuilder) throws(TOMLError) {
        let key = try parseKey()
        skipWhitespace()
        guard current == "=" else {
            throw error("expected '=' after the key \(describe(key)), found \(describe(current))")
        }
        advance()
        skipWhitespace()
        var target = table
        for index in key.indices.dropLast() {
            target = try dottedKeyTable(key[...index], in: target)
        }
        let last = key[key.count - 1]
        guard target[last.name] == nil else { throw error("duplicate key \(describe(key))", at: last.mark) }
        target.add(.value(try parseValue(depth: target.depth)), for: last.name)
    }

    // MARK: Values

    /// Reads one value of any kind; `depth` is the nesting depth of the array or table that holds it.
    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        let line = self.line
        switch current {
        case "\"":
            return TOMLValue(.string(try isAt("\"\"\"") ? parseMultilineBasicString() : parseBasicString()), line: line)
        case "'":
            return TOMLValue(
                .string(try isAt("'''") ? parseMultilineLiteralString() : parseLiteralString()), line: line)
        case "[":
            return TOMLValue(.array(try parseArray(depth: depth + 1)), line: line)
        case "{":
            return TOMLValue(.table(try parseInlineTable(depth: depth + 1)), line: line)
        case nil, "#", "\n", "\r":
            throw error("missing value")
        case _ where startsDateOrTime:
            return TOMLValue(try parseDateOrTime(), line: line)
        default:
            let start = mark
            let token = String(String.UnicodeScalarView(scalars[index...].prefix(while: isWordScalar)))
            guard !token.isEmpty else { throw error("expected a value, found \(describe(current))") }
            index += token.unicodeScalars.count
            switch token {
            case "true": return TOMLValue(.boolean(true), line: line)
            case "false": return TOMLValue(.boolean(false), line: line)
            default: return TOMLValue(try number(token, at: start), line: line)
            }
        }
    }

    /// Reads `[ value, value, ... ]`, which may span lines, hold comments and end with a comma.
    mutating func parseArray(depth: Int) throws(TOMLError) -> [TOMLValue] {
        try checkDepth(depth)
        let start = mark
        advance()
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            switch current {
            case nil: throw error("unterminated array", at: start)
            case "]":
                advance()
                return elements
            default: elements.append(try parseValue(depth: depth))
            }
            try skipBlankLines()
            switch current {
            case ",": advance()
            case "]", nil: continue
            default: throw error("expected ',' or ']' after an array element, found \(describe(current))")
            }
        }
    }

    /// Reads `{ key = value, ... }` on one line, with no trailing comma.
    mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLTable {
        try checkDepth(depth)
        let table = TableBuilder(origin: .dotted, line: line, depth: depth)
        advance()
        skipWhitespace()
        if current == "}" {
            advance()
            return table.build()
        }
        while true {
            try rejectNewlineInInlineTable()
            try parseKeyValue(into: table)
            skipWhitespace()
            try rejectNewlineInInlineTable()
            switch current {
            case ",":
                advance()
                skipWhitespace()
                if current == "}" { throw error("trailing comma in an inline table") }
            case "}":
                advance()
                return table.build()
            default:
                throw error("expected ',' or '}' in an inline table, found \(describe(current))")
            }
        }
    }

    private func rejectNewlineInInlineTable() throws(TOMLError) {
        if current == "\n" || current == "\r" { throw error("newline inside an inline table") }
        if current == nil { throw error("unterminated inline table") }
    }

    func checkDepth(_ depth: Int) throws(TOMLError) {
        guard depth <= TOMLDocument.maximumDepth else {
            throw error("nesting deeper than \(TOMLDocument.maximumDepth) levels")
        }
    }

    // MARK: Scanning

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    var mark: Mark { Mark(offset: index, line: line, lineStart: lineStart) }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    func isAt(_ text: String) -> Bool {
        scalars[index...].starts(with: text.unicodeScalars)
    }

    /// Whether a date (`1979-05-27`) or a time (`07:32`) starts here, rather than a number.
    private var startsDateOrTime: Bool {
        func digits(_ count: Int) -> Bool { (0..<count).allSatisfy { peek($0).map(isDigit) ?? false } }
        return (digits(2) && peek(2) == ":") || (digits(4) && peek(4) == "-")
    }

    mutating func advance(by count: Int = 1) {
        index += count
    }

    mutating func skipWhitespace() {
        while current == " " || current == "\t" { advance() }
    }

    /// Consumes a line feed or CR LF, counting the line; false if there is neither.
    mutating func consumeNewline() throws(TOMLError) -> Bool {
        if current == "\r" {
            guard peek(1) == "\n" else { throw error("carriage return not followed by a line feed") }
            advance()
        }
        guard current == "\n" else { return false }
        advance()
        line += 1
        lineStart = index
        return true
    }

    /// Skips a comment up to, not including, the end of its line.
    mutating func skipComment() throws(TOMLError) {
        guard current == "#" else { return }
        while let scalar = current, scalar != "\n", scalar != "\r" {
            try rejectControl(scalar, in: "a comment")
            advance()
        }
    }

    /// Skips whitespace, comments and newlines, as allowed between array elements.
    mutating func skipBlankLines() throws(TOMLError) {
        repeat {
            skipWhitespace()
            try skipComment()
        } while try consumeNewline()
    }

    /// Ends a line of the document: whitespace, perhaps a comment, then a newline or the end of the text.
    mutating func finishLine(after what: String) throws(TOMLError) {
        skipWhitespace()
        try skipComment()
        guard current != nil else { return }
        guard try consumeNewline() else {
            throw error("expected a new line after \(what), found \(describe(current))")
        }
    }

    // MARK: Errors

    func error(_ message: String, at mark: Mark? = nil) -> TOMLError {
        let mark = mark ?? self.mark
        return TOMLError(line: mark.line, column: mark.offset - mark.lineStart + 1, message: message)
    }

    /// Refuses control characters other than tab, which TOML allows in no comment or string.
    func rejectControl(_ scalar: Unicode.Scalar, in place: String) throws(TOMLError) {
        if (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F {
            throw error("control character \(describe(scalar)) in \(place)")
        }
    }

    /// Names a scalar for an error message: `'x'`, `U+0007`, `end of line` or `end of input`.
    func describe(_ scalar: Unicode.Scalar?) -> String {
        switch scalar {
        case nil: return "end of input"
        case "\n", "\r": return "end of line"
        case let scalar? where scalar.value < 0x20 || scalar.value == 0x7F:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
        case let scalar?: return "'\(scalar)'"
        }
    }
}

func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}

/// Whether `scalar` can be part of a number, boolean, `inf` or `nan`.
private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    isDigit(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        || "_+-.".unicodeScalars.contains(scalar)
}
