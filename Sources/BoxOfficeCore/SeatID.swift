/// A seat's name in its auditorium: a row of one or two capital letters and a seat number, like `A1` or `C12`.
public struct SeatID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The row letters, `A` to `ZZ`.
    public let row: String
    /// The seat number within the row, from 1.
    public let number: Int

    /// Creates a seat id from a row and a number; nil when either is out of form.
    public init?(row: String, number: Int) {
        guard (1...2).contains(row.utf8.count), row.utf8.allSatisfy({ (65...90).contains($0) }),
            (1...999).contains(number)
        else { return nil }
        self.row = row
        self.number = number
    }

    /// Parses a seat id such as `C12`; nil for anything else (lower case, leading zeros, no number).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        let letters = utf8.prefix { (65...90).contains($0) }
        let digits = utf8.dropFirst(letters.count)
        guard !digits.isEmpty, digits.count <= 3, digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ (48...57).contains($0) }),
            let number = Int(String(decoding: digits, as: UTF8.self))
        else { return nil }
        self.init(row: String(decoding: letters, as: UTF8.self), number: number)
    }

    /// The row's position counted from the screen, 0 for `A`, 26 for `AA`.
    public var rowIndex: Int {
        let values = row.utf8.map { Int($0) - 65 }
        return values.count == 1 ? values[0] : 26 + values[0] * 26 + values[1]
    }

    /// The letters of the row at position `index` (0 is `A`, 26 is `AA`); nil past `ZZ`.
    public static func rowName(at index: Int) -> String? {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        switch index {
        case 0..<26: return String(letters[index])
        case 26..<(26 + 26 * 26): return String(letters[(index - 26) / 26]) + String(letters[(index - 26) % 26])
        default: return nil
        }
    }

    public var description: String { "\(row)\(number)" }

    /// Seats order front to back, then left to right.
    public static func < (lhs: SeatID, rhs: SeatID) -> Bool {
        (lhs.rowIndex, lhs.number) < (rhs.rowIndex, rhs.number)
    }
}
