// MARK: Dates and times (RFC 3339)

extension Parser {
    /// Reads a local date, local time, local date-time or offset date-time; `T`, `t` or a space may separate date
    /// and time, and seconds may be left out (`07:30`), as TOML 1.1 allows.
    mutating func parseDateOrTime() throws(TOMLError) -> TOMLValue.Kind {
        if peek(2) == ":" { return .localTime(try parseTime()) }
        let date = try parseDate()
        guard current == "T" || current == "t" || (current == " " && peek(1).map(isDigit) == true) else {
            return .localDate(date)
        }
        advance()
        let dateTime = TOMLLocalDateTime(date: date, time: try parseTime())
        guard let offset = try parseOffset() else { return .localDateTime(dateTime) }
        return .offsetDateTime(TOMLOffsetDateTime(dateTime: dateTime, offsetMinutes: offset))
    }

    private mutating func parseDate() throws(TOMLError) -> TOMLLocalDate {
        let year = try field("year", digits: 4, in: 0...9999)
        try expect("-", in: "a date")
        let month = try field("month", digits: 2, in: 1...12)
        try expect("-", in: "a date")
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        let day = try field("day", digits: 2, in: 1...days)
        return TOMLLocalDate(year: year, month: month, day: day)
    }

    private mutating func parseTime() throws(TOMLError) -> TOMLLocalTime {
        let hour = try field("hour", digits: 2, in: 0...23)
        try expect(":", in: "a time")
        let minute = try field("minute", digits: 2, in: 0...59)
        guard current == ":" else { return TOMLLocalTime(hour: hour, minute: minute, second: 0, nanosecond: 0) }
        advance()
        let second = try field("second", digits: 2, in: 0...59)
        var nanosecond = 0
        if current == "." {
            advance()
            let digits = scalars[index...].prefix(while: isDigit)
            guard !digits.isEmpty else { throw error("expected digits after the decimal point of the seconds") }
            let nine = String(String.UnicodeScalarView(digits.prefix(9)))
            nanosecond = Int(nine + String(repeating: "0", count: 9 - nine.count))!
            advance(by: digits.count)
        }
        return TOMLLocalTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// Reads `Z` or `+HH:MM` / `-HH:MM` into minutes east of UTC; nil when there is no offset.
    private mutating func parseOffset() throws(TOMLError) -> Int? {
        switch current {
        case "Z", "z":
            advance()
            return 0
        case "+", "-":
            let sign = current == "-" ? -1 : 1
            advance()
            let hours = try field("offset hours", digits: 2, in: 0...23)
            try expect(":", in: "an offset")
            let minutes = try field("offset minutes", digits: 2, in: 0...59)
            return sign * (hours * 60 + minutes)
        default:
            return nil
        }
    }

    /// Reads a field of exactly `count` digits whose value must lie in `range`.
    private mutating func field(_ name: String, digits count: Int, in range: ClosedRange<Int>) throws(TOMLError) -> Int
    {
        let digits = scalars[index...].prefix(count)
        guard digits.count == count, digits.allSatisfy(isDigit) else {
            throw error("expected \(count) digits for the \(name)")
        }
        let value = Int(String(String.UnicodeScalarView(digits)))!
        guard range.contains(value) else { throw error("\(name) \(value) out of range \(range)") }
        advance(by: count)
        return value
    }

    private mutating func expect(_ separator: Unicode.Scalar, in what: String) throws(TOMLError) {
        guard current == separator else {
            throw error("expected '\(separator)' in \(what), found \(describe(current))")
        }
        advance()
    }
}
