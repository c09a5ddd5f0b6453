import BoxOfficeCore
import Testing

@Suite("Seat ids and identifiers")
struct SeatIDTests {
    @Test(
        "Seat ids parse only in their documented form",
        arguments: [
            ("A1", "A", 1), ("C12", "C", 12), ("AB7", "AB", 7), ("Z999", "Z", 999),
        ])
    func validSeats(text: String, row: String, number: Int) throws {
        let seat = try #require(SeatID(text))
        #expect(seat.row == row && seat.number == number && seat.description == text)
    }

    @Test(
        "Malformed seat ids are refused",
        arguments: ["", "A", "1", "a1", "A0", "A01", "A1000", "ABC1", "A1B", "A-1", "Ä1"])
    func invalidSeats(text: String) {
        #expect(SeatID(text) == nil)
    }

    @Test("Seats order front to back, then left to right")
    func ordering() {
        let seats = ["B1", "A10", "AA1", "A2", "Z3"].compactMap { SeatID($0) }.sorted()
        #expect(seats.map(\.description) == ["A2", "A10", "B1", "Z3", "AA1"])
        #expect(SeatID.rowName(at: 0) == "A" && SeatID.rowName(at: 25) == "Z" && SeatID.rowName(at: 26) == "AA")
        #expect(SeatID.rowName(at: 26 + 26 * 26) == nil)
    }

    @Test("User names and passwords are bounded")
    func accounts() {
        #expect(Username("abc") != nil && Username("a.b_c-9") != nil)
        #expect(Username("ab") == nil && Username(String(repeating: "a", count: 33)) == nil && Username("Abc") == nil)
        #expect(Password("12345678") != nil && Password(String(repeating: "p", count: 128)) != nil)
        #expect(
            Password("1234567") == nil && Password("1234 5678") == nil
                && Password(String(repeating: "p", count: 129)) == nil)
        #expect("\(Password("secret-password")!)" == "<password>", "a password never prints itself")
    }

    @Test("Show, kiosk, session and booking ids")
    func identifiers() {
        #expect(ShowID("42") != nil && ShowID("premiere_1-b") != nil && ShowID("a b") == nil && ShowID("") == nil)
        #expect(KioskID("lobby-1.east") != nil && KioskID("lobby/1") == nil)
        #expect(SessionID("0123456789abcdef0123") != nil && SessionID("0123456789ABCDEF0123") == nil)
        #expect(BookingID("BK0123456789") != nil && BookingID("BK01234567") == nil && BookingID("XX0123456789") == nil)
    }
}

@Suite("Time")
struct TimestampTests {
    @Test(
        "ISO 8601 in UTC",
        arguments: [
            (0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_804_200, "2026-11-27T18:30:00Z"), (-1, "1969-12-31T23:59:59Z"),
        ])
    func iso8601(seconds: Int, text: String) {
        #expect(Timestamp(secondsSinceEpoch: seconds).description == text)
    }
}
