import BoxOfficeCore

/// A show's prices: minor units per seat kind, and the currency; the ticket types it sells and its VAT rate.
public struct PriceTable: Hashable, Sendable {
    /// One ticket type on one kind of seat (`TYPE <type> <kind> <price> <name>`).
    public struct TicketOption: Hashable, Sendable {
        /// The type's id.
        public var id: String
        /// The seat kind.
        public var kind: SeatKind
        /// One ticket's price, in minor units.
        public var price: Int
        /// What customers read.
        public var name: String
    }

    /// Minor units per kind on sale.
    public var prices: [SeatKind: Int]
    /// The ISO 4217 code.
    public var currency: String
    /// The ticket types sold for the show's film, the default first; empty when the show sells one type.
    public var types: [TicketOption] = []
    /// The VAT rate every price includes, in basis points; nil when the show states none.
    public var vatBasisPoints: Int?

    /// Creates a table.
    public init(prices: [SeatKind: Int], currency: String) {
        self.prices = prices
        self.currency = currency
    }

    /// Reads a `PRICES` reply: `PRICE <kind> <minor-units>` lines, `TYPE <type> <kind> <minor-units> <name>` lines,
    /// a `VAT <basis-points>` line, then `OK <currency>`.
    public init?(reply: ServerReply) {
        guard reply.isOK, let currency = reply.words.first else { return nil }
        var prices: [SeatKind: Int] = [:]
        var types: [TicketOption] = []
        var vat: Int?
        for line in reply.data {
            let words = line.split(separator: " ", maxSplits: 4)
            if words.count == 3, words[0] == "PRICE", let kind = SeatKind(rawValue: String(words[1])),
                let amount = Int(words[2])
            {
                prices[kind] = amount
            } else if words.count == 5, words[0] == "TYPE", let kind = SeatKind(rawValue: String(words[2])),
                let amount = Int(words[3])
            {
                types.append(TicketOption(id: String(words[1]), kind: kind, price: amount, name: String(words[4])))
            } else if words.count == 2, words[0] == "VAT", let rate = Int(words[1]) {
                vat = rate
            }
        }
        self.init(prices: prices, currency: currency)
        self.types = types
        vatBasisPoints = vat
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
