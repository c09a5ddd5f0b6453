/// What the session's seats cost: `QUOTE`'s items and total.
public struct Quote: Hashable, Sendable {
    /// One kind of seat: how many, at what unit price, and their subtotal.
    public struct Item: Hashable, Sendable {
        /// The seat kind.
        public var kind: String
        /// How many seats of the kind.
        public var count: Int
        /// One seat's price, in minor units.
        public var unit: Int
        /// The items' price, in minor units.
        public var subtotal: Int
        /// The ticket type, when the kiosk chose types (revision 1.4).
        public var type: String?
    }

    /// The items, one per kind.
    public var items: [Item]
    /// The total in minor units.
    public var total: Int
    /// The ISO 4217 code.
    public var currency: String
    /// The VAT rate in basis points and the VAT part of the total, when the show states a rate (revision 1.4).
    public var vat: (basisPoints: Int, amount: Int)?

    public static func == (lhs: Quote, rhs: Quote) -> Bool {
        lhs.items == rhs.items && lhs.total == rhs.total && lhs.currency == rhs.currency
            && lhs.vat?.basisPoints == rhs.vat?.basisPoints && lhs.vat?.amount == rhs.vat?.amount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(items)
        hasher.combine(total)
        hasher.combine(currency)
        hasher.combine(vat?.amount)
    }

    /// Reads `ITEM <kind> <count> <unit> <subtotal> [<type>]` lines, a `VAT <basis-points> <amount>` line and
    /// `OK <total> <currency>`.
    public init?(reply: ServerReply) {
        let words = reply.words
        guard reply.isOK, words.count == 2, let total = Int(words[0]) else { return nil }
        items = reply.data.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 5 || parts.count == 6, parts[0] == "ITEM", let count = Int(parts[2]),
                let unit = Int(parts[3]), let subtotal = Int(parts[4])
            else { return nil }
            return Item(
                kind: String(parts[1]), count: count, unit: unit, subtotal: subtotal,
                type: parts.count == 6 ? String(parts[5]) : nil)
        }
        vat =
            reply.data.lazy.compactMap { line -> (basisPoints: Int, amount: Int)? in
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "VAT", let rate = Int(parts[1]), let amount = Int(parts[2]) else {
                    return nil
                }
                return (rate, amount)
            }.first
        self.total = total
        currency = words[1]
    }
}
