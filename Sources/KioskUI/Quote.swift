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
    }

    /// The items, one per kind.
    public var items: [Item]
    /// The total in minor units.
    public var total: Int
    /// The ISO 4217 code.
    public var currency: String

    /// Reads `ITEM <kind> <count> <unit> <subtotal>` lines and `OK <total> <currency>`.
    public init?(reply: ServerReply) {
        let words = reply.words
        guard reply.isOK, words.count == 2, let total = Int(words[0]) else { return nil }
        items = reply.data.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 5, parts[0] == "ITEM", let count = Int(parts[2]), let unit = Int(parts[3]),
                let subtotal = Int(parts[4])
            else { return nil }
            return Item(kind: String(parts[1]), count: count, unit: unit, subtotal: subtotal)
        }
        self.total = total
        currency = words[1]
    }
}
