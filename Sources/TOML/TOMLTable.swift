/// A TOML table: keys in the order they were written, each with its value.
public struct TOMLTable: Sendable, Equatable {
    /// The keys in the order they first appear in the document.
    public let keys: [String]
    /// The line where the table was defined: its `[header]` or `[[header]]` (or, for `a` in `[a.b]` with no `[a]`,
    /// that deeper header), the line of its first dotted key, the opening brace of an inline table, or 1 for the root.
    public let line: Int
    private let values: [String: TOMLValue]

    init(keys: [String], values: [String: TOMLValue], line: Int) {
        self.keys = keys
        self.values = values
        self.line = line
    }

    /// The value under `key`, or nil when the table has no such key.
    public subscript(key: String) -> TOMLValue? { values[key] }
}
