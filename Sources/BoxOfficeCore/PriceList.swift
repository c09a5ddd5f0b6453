/// What a seat of each kind costs at one show, in one currency.
public struct PriceList: Hashable, Sendable {
    /// The ISO 4217 code of the currency, such as `EUR`.
    public let currency: String
    /// The price of each kind of seat on sale, in the currency's minor units (cents for EUR).
    public let minorUnits: [SeatKind: Int]

    /// The most one seat may cost, in minor units: far above any ticket, far below overflow.
    public static let maximumPrice = 100_000_000

    /// Creates a price list; nil when the currency is not three capital letters, a price is negative or above
    /// ``maximumPrice``, or blocked seats are given a price.
    public init?(currency: String, minorUnits: [SeatKind: Int]) {
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) }),
            minorUnits.values.allSatisfy({ (0...Self.maximumPrice).contains($0) }), minorUnits[.blocked] == nil
        else { return nil }
        self.currency = currency
        self.minorUnits = minorUnits
    }

    /// The price of one seat of `kind`; nil when the list has none.
    public subscript(kind: SeatKind) -> Int? { minorUnits[kind] }
}
