/// A table while its document is being read: mutable, shared by reference, and remembering how it was defined,
/// which decides whether a later header or dotted key may add to it.
final class TableBuilder {
    /// How the table came to exist.
    enum Origin {
        /// Created on the way to a deeper header: `a` in `[a.b]`. A later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` or `[[header]]`, or the root.
        case header
        /// Defined by dotted keys (`a.b = 1` defines `a`), or the content of an inline table.
        case dotted
    }

    /// What a key of the table holds.
    enum Entry {
        /// A finished value: scalars, static arrays and inline tables, none of which may be extended.
        case value(TOMLValue)
        /// A table still open to headers or dotted keys, as its origin allows.
        case table(TableBuilder)
        /// The tables of a `[[header]]`, which each repetition of the header extends.
        case arrayOfTables(TableArray)
    }

    /// The tables of a `[[header]]`, shared by reference so that appending stays cheap.
    final class TableArray {
        /// The line of the first `[[header]]`.
        let line: Int
        var tables: [TableBuilder]

        init(line: Int, first: TableBuilder) {
            self.line = line
            tables = [first]
        }
    }

    var origin: Origin
    var line: Int
    /// How many arrays and tables enclose this table; 0 for the root.
    let depth: Int
    private var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, line: Int, depth: Int) {
        self.origin = origin
        self.line = line
        self.depth = depth
    }

    subscript(key: String) -> Entry? { entries[key] }

    /// Adds an entry under a key the table does not have yet, after the existing ones.
    func add(_ entry: Entry, for key: String) {
        keys.append(key)
        entries[key] = entry
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        let values = entries.mapValues { entry in
            switch entry {
            case .value(let value):
                value
            case .table(let table):
                TOMLValue(.table(table.build()), line: table.line)
            case .arrayOfTables(let array):
                TOMLValue(.array(array.tables.map { TOMLValue(.table($0.build()), line: $0.line) }), line: array.line)
            }
        }
        return TOMLTable(keys: keys, values: values, line: line)
    }
}
