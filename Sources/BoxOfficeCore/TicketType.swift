/// A kind of ticket a show sells, such as adult, child or a wheelchair user's companion: its price for each kind of
/// seat it is sold for, and the rules on who may buy it.
public struct TicketType: Hashable, Sendable {
    /// The type's id on the wire and in the store: 1 to 16 of `a-z 0-9 _ -`, such as `child`.
    public let id: String
    /// What customers read, such as `Child (under 15)`.
    public let name: String
    /// Its price on each kind of seat it is sold for, in minor units; a kind missing is not sold with this type.
    public let prices: [SeatKind: Int]
    /// The film ratings it may be sold for (a child ticket only for films rated for children); nil for any film.
    public let ratings: [String]?
    /// Whether it is a wheelchair user's companion's ticket: at most one per wheelchair space in the same booking.
    public let isCompanion: Bool

    /// The id of the one type a show has when its programme names none: every seat at its kind's price.
    public static let defaultID = "adult"

    /// Creates a type.
    public init(id: String, name: String, prices: [SeatKind: Int], ratings: [String]? = nil, isCompanion: Bool = false)
    {
        self.id = id
        self.name = name
        self.prices = prices
        self.ratings = ratings
        self.isCompanion = isCompanion
    }

    /// Whether `text` has the form of a type id: 1 to 16 of `a-z 0-9 _ -`, and not a seat kind's name.
    public static func isValidID(_ text: some StringProtocol) -> Bool {
        (1...16).contains(text.utf8.count)
            && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 45 }
            && SeatKind(rawValue: String(text)) == nil
    }

    /// Whether it may be sold for a film rated `rating`.
    public func allows(rating: String) -> Bool {
        ratings.map { $0.contains(rating) } ?? true
    }
}
