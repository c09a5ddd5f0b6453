import BoxOfficeCore

/// The show hash's fields for ticket types and VAT (docs/REDIS.md): written by a load, read for PRICES and by the
/// `quote` and `begin_payment` scripts. A show whose programme names no ticket types and no VAT rate has none of
/// them, so its definition is what it was before ticket types existed.
enum ShowTicketFields {
    /// The fields for `show`'s ticket types and VAT, in a fixed order (they are part of its definition):
    /// `ticket_types` (the ids, the default first), per type `ticket:<id>:name`, its prices `ticket:<id>:<kind>`
    /// (not for the default type, whose prices are `price:<kind>`), `ticket:<id>:ratings`, `ticket:<id>:companion`;
    /// then `vat_bp`.
    static func fields(of show: Show) -> [(String, String)] {
        var fields: [(String, String)] = []
        if !show.ticketTypes.isEmpty {
            fields.append(("ticket_types", show.ticketTypes.map(\.id).joined(separator: " ")))
        }
        for (position, type) in show.ticketTypes.enumerated() {
            fields.append(("ticket:\(type.id):name", type.name))
            if position > 0 {
                fields += type.prices.sorted { $0.key < $1.key }.map {
                    ("ticket:\(type.id):\($0.key.rawValue)", "\($0.value)")
                }
            }
            if let ratings = type.ratings {
                fields.append(("ticket:\(type.id):ratings", ratings.joined(separator: " ")))
            }
            if type.isCompanion { fields.append(("ticket:\(type.id):companion", "1")) }
        }
        if let vat = show.vatBasisPoints { fields.append(("vat_bp", String(vat))) }
        return fields
    }

    /// The ticket types a show hash holds, the default first; empty when it names none.
    static func ticketTypes(in fields: [String: String], defaultPrices: PriceList) -> [TicketType] {
        let ids = (fields["ticket_types"] ?? "").split(separator: " ").map(String.init)
        return ids.enumerated().map { position, id in
            var prices: [SeatKind: Int] = [:]
            for kind in SeatKind.allCases where kind.isForSale {
                prices[kind] =
                    position == 0 ? defaultPrices[kind] : fields["ticket:\(id):\(kind.rawValue)"].flatMap { Int($0) }
            }
            return TicketType(
                id: id, name: fields["ticket:\(id):name"] ?? id, prices: prices,
                ratings: fields["ticket:\(id):ratings"].map { $0.split(separator: " ").map(String.init) },
                isCompanion: fields["ticket:\(id):companion"] == "1")
        }
    }
}
