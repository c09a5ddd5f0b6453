/// One thing wrong with a programme file: where, which field, and what.
public struct ProgrammeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's name as the operator gave it.
    public let file: String
    /// The line, from 1.
    public let line: Int
    /// The field's path, such as `shows[3].screen` (tables of an array are counted from 1).
    public let field: String
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `programme.toml:12: shows[3].screen: unknown screen "Z"`
    public var description: String {
        field.isEmpty ? "\(file):\(line): \(message)" : "\(file):\(line): \(field): \(message)"
    }
}

/// Everything wrong with a programme file; nothing is loaded while there is any.
public struct ProgrammeErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in the order of the file.
    public let errors: [ProgrammeError]

    /// Creates the list.
    public init(_ errors: [ProgrammeError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
