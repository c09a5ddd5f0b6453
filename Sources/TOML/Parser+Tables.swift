// MARK: Keys, headers, and the rules on defining tables

extension Parser {
    /// One part of a dotted key, and where it was written.
    struct KeyPart {
        let name: String
        let mark: Mark
    }

    /// Reads a key: simple keys (bare, "basic" or 'literal') joined by dots, with optional spaces around the dots.
    mutating func parseKey() throws(TOMLError) -> [KeyPart] {
        var parts = [try parseSimpleKey()]
        while true {
            skipWhitespace()
            guard current == "." else { return parts }
            advance()
            skipWhitespace()
            parts.append(try parseSimpleKey())
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> KeyPart {
        let start = mark
        switch current {
        case "\"" where !isAt("\"\"\""):
            return KeyPart(name: try parseBasicString(), mark: start)
        case "'" where !isAt("'''"):
            return KeyPart(name: try parseLiteralString(), mark: start)
        case "\"", "'":
            throw error("a multi-line string cannot be a key")
        case let scalar? where isBareKeyScalar(scalar):
            let name = scalars[index...].prefix(while: isBareKeyScalar)
            advance(by: name.count)
            return KeyPart(name: String(String.UnicodeScalarView(name)), mark: start)
        default:
            throw error("expected a key, found \(describe(current))")
        }
    }

    /// Names a key as written in the document, for an error message: `"fruit.apple"`.
    func describe(_ key: some Collection<KeyPart>) -> String {
        "\"" + key.map(\.name).joined(separator: ".") + "\""
    }

    // MARK: Headers

    /// Reads a `[table]` or `[[array.of.tables]]` header and returns the table it opens.
    mutating func parseHeader(in root: TableBuilder) throws(TOMLError) -> TableBuilder {
        let isArray = isAt("[[")
        advance(by: isArray ? 2 : 1)
        skipWhitespace()
        let key = try parseKey()
        guard isAt(isArray ? "]]" : "]") else {
            throw error("expected '\(isArray ? "]]" : "]")' to close the table header, found \(describe(current))")
        }
        advance(by: isArray ? 2 : 1)
        var parent = root
        for index in key.indices.dropLast() {
            parent = try headerTable(key[...index], in: parent)
        }
        return isArray ? try appendTable(key, to: parent) : try defineTable(key, in: parent)
    }

    /// The table at the end of `path` on the way to a header's own table, created implicitly if missing; an array
    /// of tables leads to its last table.
    private mutating func headerTable(_ path: ArraySlice<KeyPart>, in parent: TableBuilder) throws(TOMLError)
        -> TableBuilder
    {
        let part = path[path.endIndex - 1]
        switch parent[part.name] {
        case nil:
            try checkDepth(parent.depth + 1)
            let table = TableBuilder(origin: .implicit, line: line, depth: parent.depth + 1)
            parent.add(.table(table), for: part.name)
            return table
        case .table(let table):
            return table
        case .arrayOfTables(let array):
            return array.tables[array.tables.count - 1]
        case .value(let value):
            throw error(cannotExtend(value, describe(path)), at: part.mark)
        }
    }

    /// Defines the table of a `[header]`, which must not exist yet except as an implicit table.
    private mutating func defineTable(_ key: [KeyPart], in parent: TableBuilder) throws(TOMLError) -> TableBuilder {
        let part = key[key.count - 1]
        switch parent[part.name] {
        case nil:
            try checkDepth(parent.depth + 1)
            let table = TableBuilder(origin: .header, line: line, depth: parent.depth + 1)
            parent.add(.table(table), for: part.name)
            return table
        case .table(let table) where table.origin == .implicit:
            table.origin = .header
            table.line = line
            return table
        case .table(let table):
            let how = table.origin == .dotted ? "by dotted keys on line" : "on line"
            throw error("table \(describe(key)) is already defined \(how) \(table.line)", at: part.mark)
        case .arrayOfTables(let array):
            throw error("\(describe(key)) is already an array of tables, since line \(array.line)", at: part.mark)
        case .value(let value):
            throw error("\(describe(key)) is already defined as a value on line \(value.line)", at: part.mark)
        }
    }

    /// Adds a table to the array of a `[[header]]`, creating the array if it does not exist yet.
    private mutating func appendTable(_ key: [KeyPart], to parent: TableBuilder) throws(TOMLError) -> TableBuilder {
        let part = key[key.count - 1]
        let table = TableBuilder(origin: .header, line: line, depth: parent.depth + 2)
        switch parent[part.name] {
        case nil:
            try checkDepth(table.depth)
            parent.add(.arrayOfTables(TableBuilder.TableArray(line: line, first: table)), for: part.name)
        case .arrayOfTables(let array):
            array.tables.append(table)
        case .table(let existing):
            throw error("\(describe(key)) is already a table, defined on line \(existing.line)", at: part.mark)
        case .value(let value):
            throw error(cannotExtend(value, describe(key)), at: part.mark)
        }
        return table
    }

    // MARK: Dotted keys

    /// The table at the end of `path`, a proper prefix of a dotted key: one that dotted keys created, or a new one.
    mutating func dottedKeyTable(_ path: ArraySlice<KeyPart>, in parent: TableBuilder) throws(TOMLError)
        -> TableBuilder
    {
        let part = path[path.endIndex - 1]
        switch parent[part.name] {
        case nil:
            try checkDepth(parent.depth + 1)
            let table = TableBuilder(origin: .dotted, line: line, depth: parent.depth + 1)
            parent.add(.table(table), for: part.name)
            return table
        case .table(let table) where table.origin == .dotted:
            return table
        case .table(let table):
            throw error(
                "table \(describe(path)) comes from a header on line \(table.line) and cannot be extended by"
                    + " dotted keys", at: part.mark)
        case .arrayOfTables(let array):
            throw error("\(describe(path)) is an array of tables, since line \(array.line)", at: part.mark)
        case .value(let value):
            throw error(cannotExtend(value, describe(path)), at: part.mark)
        }
    }

    private func cannotExtend(_ value: TOMLValue, _ key: String) -> String {
        switch value.kind {
        case .array: "cannot append to \(key), a static array defined on line \(value.line)"
        case .table: "cannot extend \(key), an inline table defined on line \(value.line)"
        default: "\(key) is already defined as a value on line \(value.line)"
        }
    }
}

private func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
    isDigit(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "-"
}
