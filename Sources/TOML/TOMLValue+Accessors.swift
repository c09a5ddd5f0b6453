// MARK: Typed access, each nil when the value is of another kind

extension TOMLValue {
    /// The string, if the value is one.
    public var string: String? {
        if case .string(let value) = kind { value } else { nil }
    }

    /// The integer, if the value is one.
    public var integer: Int64? {
        if case .integer(let value) = kind { value } else { nil }
    }

    /// The float, if the value is one; integers are not converted.
    public var float: Double? {
        if case .float(let value) = kind { value } else { nil }
    }

    /// The boolean, if the value is one.
    public var bool: Bool? {
        if case .boolean(let value) = kind { value } else { nil }
    }

    /// The offset date-time, if the value is one.
    public var offsetDateTime: TOMLOffsetDateTime? {
        if case .offsetDateTime(let value) = kind { value } else { nil }
    }

    /// The local date-time, if the value is one.
    public var localDateTime: TOMLLocalDateTime? {
        if case .localDateTime(let value) = kind { value } else { nil }
    }

    /// The local date, if the value is one.
    public var localDate: TOMLLocalDate? {
        if case .localDate(let value) = kind { value } else { nil }
    }

    /// The local time, if the value is one.
    public var localTime: TOMLLocalTime? {
        if case .localTime(let value) = kind { value } else { nil }
    }

    /// The elements, if the value is an array (including an array of tables).
    public var array: [TOMLValue]? {
        if case .array(let value) = kind { value } else { nil }
    }

    /// The table, if the value is one.
    public var table: TOMLTable? {
        if case .table(let value) = kind { value } else { nil }
    }
}
