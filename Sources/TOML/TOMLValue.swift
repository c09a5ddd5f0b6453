/// A TOML value and the line it came from.
public struct TOMLValue: Sendable, Equatable {
    /// The kinds of value TOML has, each with its content.
    public enum Kind: Sendable, Equatable {
        /// A string of any of the four quoting styles, escapes resolved.
        case string(String)
        /// A 64-bit signed integer, written in decimal, hexadecimal, octal or binary.
        case integer(Int64)
        /// A double-precision float, including `inf` and `nan`.
        case float(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// A date and time with an offset from UTC, such as `2026-11-28T20:15:00+01:00`.
        case offsetDateTime(TOMLOffsetDateTime)
        /// A date and time with no offset, such as `2026-11-28T20:15:00`.
        case localDateTime(TOMLLocalDateTime)
        /// A date with no time, such as `2026-11-28`.
        case localDate(TOMLLocalDate)
        /// A time of day with no date, such as `20:15:00`.
        case localTime(TOMLLocalTime)
        /// An array, its elements each with their own line; from `[...]` or from `[[header]]` tables.
        case array([TOMLValue])
        /// A table: from a `[header]`, dotted keys or an inline `{...}`.
        case table(TOMLTable)
    }

    /// What the value is.
    public let kind: Kind
    /// The line where the value starts: the line of its `key = value`, of its array element, or of its table's
    /// definition.
    public let line: Int

    init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}
