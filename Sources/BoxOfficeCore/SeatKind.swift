/// What kind of seat a place in an auditorium is; prices are set per kind.
public enum SeatKind: String, CaseIterable, Hashable, Sendable, Comparable {
    /// An ordinary seat.
    case standard
    /// A better seat at a higher price.
    case premium
    /// A space for a wheelchair user.
    case wheelchair
    /// A seat that is never sold (broken, or kept free); kiosks never see it.
    case blocked

    /// The letter that stands for this kind in a row's layout: `s`, `p`, `w` or `x`.
    public var symbol: Character {
        switch self {
        case .standard: "s"
        case .premium: "p"
        case .wheelchair: "w"
        case .blocked: "x"
        }
    }

    /// The kind a layout letter stands for; nil for any other character.
    public init?(symbol: Character) {
        guard let kind = Self.allCases.first(where: { $0.symbol == symbol }) else { return nil }
        self = kind
    }

    /// Whether kiosks may sell this kind of seat.
    public var isForSale: Bool { self != .blocked }

    public static func < (lhs: SeatKind, rhs: SeatKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
