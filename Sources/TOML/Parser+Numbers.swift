// MARK: Integers and floats

extension Parser {
    /// Turns a word read at `start` into an integer or a float, or refuses it with the reason.
    func number(_ word: String, at start: Mark) throws(TOMLError) -> TOMLValue.Kind {
        func invalid(_ reason: String) -> TOMLError {
            error("invalid number \"\(word)\": \(reason)", at: start)
        }
        let sign = word.first == "+" || word.first == "-" ? String(word.prefix(1)) : ""
        let body = word.dropFirst(sign.count)
        switch body {
        case "inf": return .float(sign == "-" ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        if let radix = ["0x": 16, "0o": 8, "0b": 2][String(body.prefix(2))] {
            guard sign.isEmpty else { throw invalid("a sign is not allowed before 0x, 0o or 0b") }
            let digits = body.dropFirst(2)
            guard isDigitGroup(digits, where: { $0.hexDigitValue.map { $0 < radix } ?? false }) else {
                throw invalid("expected base-\(radix) digits, with single underscores only between them")
            }
            guard let value = Int64(digits.filter { $0 != "_" }, radix: radix) else {
                throw invalid("out of the range of a 64-bit integer")
            }
            return .integer(value)
        }
        let integerPart = body.prefix { isDecimal($0) || $0 == "_" }
        var rest = body.dropFirst(integerPart.count)
        guard !integerPart.isEmpty else { throw error("invalid value \"\(word)\"", at: start) }
        guard isDigitGroup(integerPart, where: isDecimal) else { throw invalid("underscores must sit between digits") }
        guard integerPart.first != "0" || integerPart.count == 1 else { throw invalid("leading zeros are not allowed") }
        if rest.isEmpty {
            guard let value = Int64(sign + integerPart.filter { $0 != "_" }) else {
                throw invalid("out of the range of a 64-bit integer")
            }
            return .integer(value)
        }
        if rest.first == "." {
            let fraction = rest.dropFirst().prefix { isDecimal($0) || $0 == "_" }
            guard isDigitGroup(fraction, where: isDecimal) else {
                throw invalid("expected digits after the decimal point")
            }
            rest = rest.dropFirst(1 + fraction.count)
        }
        if rest.first == "e" || rest.first == "E" {
            var exponent = rest.dropFirst()
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard isDigitGroup(exponent, where: isDecimal) else {
                throw invalid("expected digits in the exponent")
            }
            rest = ""
        }
        guard rest.isEmpty, let value = Double(sign + body.filter { $0 != "_" }) else {
            throw invalid("unexpected \"\(rest)\"")
        }
        return .float(value)
    }
}

/// Whether `text` is digits with single underscores between them, and not empty.
private func isDigitGroup(_ text: Substring, where isDigit: (Character) -> Bool) -> Bool {
    guard let first = text.first, let last = text.last, isDigit(first), isDigit(last) else { return false }
    return text.allSatisfy { $0 == "_" || isDigit($0) } && !text.contains("__")
}

private func isDecimal(_ character: Character) -> Bool {
    ("0"..."9").contains(character)
}
