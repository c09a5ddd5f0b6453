import TOML

// MARK: A readable outline of a parsed document, for comparing against expectations

extension TOMLTable {
    /// One line per value, depth first in document order: `path: value @line`, such as `shows[0].film: "Alien" @2`.
    var outline: String {
        outlineLines(prefix: "").joined(separator: "\n")
    }

    fileprivate func outlineLines(prefix: String) -> [String] {
        keys.flatMap { key in
            let isBare = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            let name = isBare ? key : "\"\(key)\""
            return self[key]!.outlineLines(path: prefix.isEmpty ? name : "\(prefix).\(name)")
        }
    }
}

extension TOMLValue {
    fileprivate func outlineLines(path: String) -> [String] {
        let head = "\(path): \(kind.outline) @\(line)"
        switch kind {
        case .array(let elements):
            return [head] + elements.enumerated().flatMap { $1.outlineLines(path: "\(path)[\($0)]") }
        case .table(let table):
            return [head] + table.outlineLines(prefix: path)
        default:
            return [head]
        }
    }
}

extension TOMLValue.Kind {
    /// The value alone: strings quoted as Swift would, date-times in RFC 3339 after the name of their kind.
    var outline: String {
        switch self {
        case .string(let string): String(reflecting: string)
        case .integer(let integer): "\(integer)"
        case .float(let float): "\(float)"
        case .boolean(let bool): "\(bool)"
        case .offsetDateTime(let value):
            "offset date-time \(value.dateTime.outline)\(value.offsetMinutes < 0 ? "-" : "+")"
                + "\(twoDigits(abs(value.offsetMinutes) / 60)):\(twoDigits(abs(value.offsetMinutes) % 60))"
        case .localDateTime(let value): "local date-time \(value.outline)"
        case .localDate(let value): "local date \(value.outline)"
        case .localTime(let value): "local time \(value.outline)"
        case .array: "array"
        case .table: "table"
        }
    }
}

extension TOMLLocalDate {
    fileprivate var outline: String { "\(year)-\(twoDigits(month))-\(twoDigits(day))" }
}

extension TOMLLocalTime {
    fileprivate var outline: String {
        "\(twoDigits(hour)):\(twoDigits(minute)):\(twoDigits(second))"
            + (nanosecond == 0 ? "" : ".\(String(1_000_000_000 + nanosecond).dropFirst())")
    }
}

extension TOMLLocalDateTime {
    fileprivate var outline: String { "\(date.outline)T\(time.outline)" }
}

private func twoDigits(_ number: Int) -> String {
    number < 10 ? "0\(number)" : "\(number)"
}
