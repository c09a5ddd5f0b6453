/// What a seat map shows of one seat, and the one character it is drawn with: the kiosk and `boxofficectl seats`
/// draw the same states with the same symbols and explain them with the same words. A state (held, sold, blocked)
/// hides the seat's kind.
public enum SeatMark: String, Codable, Sendable, CaseIterable {
    case available, premium, wheelchair, held, sold, blocked

    /// The mark of a seat of `kind` that is free to book.
    public init(free kind: SeatKind) {
        switch kind {
        case .standard: self = .available
        case .premium: self = .premium
        case .wheelchair: self = .wheelchair
        case .blocked: self = .blocked
        }
    }

    /// The one character that stands for it on a map.
    public var symbol: Character {
        switch self {
        case .available: "o"
        case .premium: "p"
        case .wheelchair: "w"
        case .held: "h"
        case .sold: "x"
        case .blocked: "#"
        }
    }

    /// What it means, in words for a legend.
    public var legend: String {
        switch self {
        case .available: "available"
        case .premium: "premium, available"
        case .wheelchair: "wheelchair space, available"
        case .held: "held"
        case .sold: "sold"
        case .blocked: "blocked"
        }
    }
}
