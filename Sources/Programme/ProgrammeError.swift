/// One thing wrong with a programme file: where, which field, and what.
public struct ProgrammeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the operator gave it.
    public let file: String
    /// The line, from 1; 0 for the file as a whole (it could not be read).
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

    /// `programme.toml:12: shows[3].screen: unknown screen "Z"`; `programme.toml: no such file` for the whole file.
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}

/// Everything wrong with a programme file; nothing is loaded while there is any.
public struct ProgrammeErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in the order of the file: by line, those of one line in the order they were found.
    public let errors: [ProgrammeError]

    /// Creates the list, sorted by line.
    public init(_ errors: [ProgrammeError]) {
        self.errors = errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
