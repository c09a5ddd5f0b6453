import BoxOfficeCore
import KioskProtocol
import Testing

@Suite("Request parsing")
struct RequestTests {
    private func parse(_ line: String) -> Result<Request, WireError> {
        Result { () throws(WireError) in try Request(parsing: Array(line.utf8)) }
    }

    private func code(_ line: String) -> ErrorCode? {
        if case .failure(let error) = parse(line) { error.code } else { nil }
    }

    @Test(
        "Well-formed requests parse",
        arguments: [
            "PING", "QUIT", "KIOSK lobby-1 s3cret", "REGISTER alice password1", "LOGIN alice password1", "LOGOUT",
            "SHOWS", "START 42", "SEATS", "SEATS 42", "HOLD A1 B12", "RELEASE A1", "PAY tok_visa", "CLOSE", "BOOKINGS",
            "ping", "Hold A1", "QUOTE", "STATS", "LAYOUT 42", "PRICES 42", "WATCH 42", "UNWATCH", "BEST 2",
            "BEST 64 premium", "BEST 100", "HELP", "BEST 1 wheelchair", "BEST 2 REPLACE",
            "BEST 2 premium REPLACE", "BEST 2 replace", "RESUME 0123456789abcdef0123",
            "RESUME 0123456789abcdef0123 lh-1",
            "PAY tok_visa 2400 EUR",
            "PAY tok_visa 0 EUR", "PAY tok_visa 999999999999 JPY",
        ])
    func wellFormed(line: String) {
        #expect(code(line) == nil, "\(line)")
    }

    @Test(
        "Malformed requests get the documented code",
        arguments: [
            ("", ErrorCode.badRequest), ("FROB", .unknownCommand), ("PING x", .badRequest), (" PING", .badRequest),
            ("PING ", .badRequest), ("HOLD", .badRequest), ("HOLD a1", .badRequest), ("HOLD A1 A1", .badRequest),
            ("START", .badRequest), ("START a/b", .badRequest), ("SEATS 1 2", .badRequest), ("KIOSK x", .badRequest),
            ("REGISTER Bob password1", .invalidUsername), ("REGISTER bob short", .weakPassword),
            ("PAY", .badRequest), ("PING\u{7}", .badRequest), ("QUOTE x", .badRequest), ("LAYOUT", .badRequest),
            ("WATCH a/b", .badRequest), ("UNWATCH 1", .badRequest), ("BEST", .badRequest), ("BEST 0", .badRequest),
            ("BEST 10000", .badRequest), ("BEST 02", .badRequest), ("BEST +2", .badRequest),
            ("BEST 2 blocked", .badRequest),
            ("BEST 2 Premium", .badRequest), ("BEST 2 premium x", .badRequest), ("BEST REPLACE", .badRequest),
            ("BEST 2 REPLACE premium", .badRequest), ("BEST 2 premium REPLACE x", .badRequest),
            ("BEST 2 REPLACE REPLACE", .badRequest), ("RESUME", .badRequest),
            ("RESUME 0123456789ABCDEF0123", .badRequest), ("RESUME 123", .badRequest),
            ("RESUME 0123456789abcdef0123 a/b", .badRequest), ("RESUME 0123456789abcdef0123 1 2", .badRequest),
            ("PAY tok_visa 2400", .badRequest), ("PAY tok_visa 2400 EUR x", .badRequest),
            ("PAY tok_visa -1 EUR", .badRequest), ("PAY tok_visa 1000000000000 EUR", .badRequest),
            ("PAY tok_visa 24.00 EUR", .badRequest), ("PAY tok_visa 007 EUR", .badRequest),
            ("PAY tok_visa 2400 Eur", .badRequest), ("PAY tok_visa 2400 EURO", .badRequest),
        ])
    func malformed(line: String, expected: ErrorCode) {
        #expect(code(line) == expected, "\(line)")
    }

    @Test("BEST's REPLACE is a last word of its own, after the kind")
    func bestReplace() throws {
        guard case .best(2, .premium, replace: true) = try parse("BEST 2 premium REPLACE").get() else {
            Issue.record("BEST 2 premium REPLACE")
            return
        }
        guard case .best(3, nil, replace: false) = try parse("BEST 3").get() else {
            Issue.record("BEST 3")
            return
        }
    }

    @Test("Bounds: 4096 bytes per line, 64 seats per request, 256-byte secrets")
    func bounds() {
        #expect(code("PING " + String(repeating: "x", count: 4091)) == .badRequest)
        #expect(code("PING " + String(repeating: "x", count: 4092)) == .lineTooLong)
        #expect(code("HOLD " + (1...64).map { "A\($0)" }.joined(separator: " ")) == nil)
        #expect(code("HOLD " + (1...65).map { "A\($0)" }.joined(separator: " ")) == .badRequest)
        #expect(code("KIOSK k " + String(repeating: "s", count: 257)) == .badRequest)
    }

    @Test("LOGIN with a name or password out of form still parses, so it can fail like any wrong login")
    func loginOutOfForm() throws {
        guard case .success(.login(let user, let password)) = parse("LOGIN NO short") else {
            Issue.record("LOGIN did not parse")
            return
        }
        #expect(user == nil && password == nil)
    }

    @Test("Error lines never carry control characters")
    func errorLines() {
        #expect(WireError(.badRequest, "a\r\nb").line == "ERR BAD_REQUEST a??b")
        #expect(WireError(.seatsUnavailable([SeatID("A1")!, SeatID("B2")!])).line == "ERR SEATS_UNAVAILABLE A1 B2")
        #expect(WireError(.paymentFailed(reason: "DECLINED", attemptsLeft: 2)).line == "ERR PAYMENT_FAILED DECLINED 2")
        #expect(Set(ErrorCode.allCases.map(\.rawValue)).count == ErrorCode.allCases.count)
    }
}
