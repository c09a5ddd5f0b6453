import BoxOfficeCore

/// A show's prices: minor units per seat kind, and the currency.
public struct PriceTable: Hashable, Sendable {
    /// Minor units per kind on sale.
    public var prices: [SeatKind: Int]
    /// The ISO 4217 code.
    public var currency: String

    /// Creates a table.
    public init(prices: [SeatKind: Int], currency: String) {
        self.prices = prices
        self.currency = currency
    }

    /// Reads a `PRICES` reply: `PRICE <kind> <minor-units>` lines, then `OK <currency>`.
    public init?(reply: ServerReply) {
        guard reply.isOK, let currency = reply.words.first else { return nil }
        var prices: [SeatKind: Int] = [:]
        for line in reply.data {
            let words = line.split(separator: " ")
            if words.count == 3, words[0] == "PRICE", let kind = SeatKind(rawValue: String(words[1])),
                let amount = Int(words[2])
            {
                prices[kind] = amount
            }
        }
        self.init(prices: prices, currency: currency)
    }

    /// The prices for people: `12.00 EUR, premium 16.00 EUR`; a kind priced like standard seats is not repeated.
    public var summary: String {
        let standard = prices[.standard]
        return SeatKind.allCases.compactMap { kind in
            guard let price = prices[kind], kind == .standard || price != standard else { return nil }
            return (kind == .standard ? "" : "\(kind.rawValue) ") + Money.format(price, currency)
        }.joined(separator: ", ")
    }
}
