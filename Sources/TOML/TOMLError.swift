/// Why a TOML document was refused, and where.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line of the offending text, from 1.
    public let line: Int
    /// The column of the offending text on its line, from 1, counted in Unicode scalars.
    public let column: Int
    /// What is wrong, in a short phrase such as `duplicate key "title"`.
    public let message: String

    /// Creates an error at a position in a document.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line:column: message`, ready to follow a file name: `programme.toml:12:9: duplicate key "title"`.
    public var description: String { "\(line):\(column): \(message)" }
}
