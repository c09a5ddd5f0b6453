/// A parsed TOML 1.0 document: its top-level table, every value tagged with the line it came from.
public struct TOMLDocument: Sendable, Equatable {
    /// The largest document accepted, in UTF-8 bytes: 1 MiB.
    public static let maximumSize = 1 << 20
    /// The deepest nesting of arrays and tables accepted.
    public static let maximumDepth = 64

    /// The top-level table, defined on line 1.
    public let root: TOMLTable

    /// Parses TOML text.
    ///
    /// Accepts TOML 1.0, plus local times written without seconds (`07:30`) as TOML 1.1 does.
    /// - Parameter text: The whole document.
    /// - Throws: `TOMLError` at the first syntax error, redefinition, or breach of `maximumSize` or `maximumDepth`.
    public init(parsing text: String) throws(TOMLError) {
        guard text.utf8.count <= Self.maximumSize else {
            throw TOMLError(line: 1, column: 1, message: "document is larger than \(Self.maximumSize) bytes")
        }
        var parser = Parser(text)
        root = try parser.parseDocument()
    }
}
