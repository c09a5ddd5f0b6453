/// The ticket types a customer chose for the seats a session holds: how many tickets of each type on each kind of
/// seat (`standard:child=2`). Empty, every seat is sold as the show's default type, as before ticket types existed.
public struct TicketChoice: Hashable, Sendable {
    /// Tickets of one type on seats of one kind.
    public struct Entry: Hashable, Sendable {
        /// The seats' kind.
        public let kind: SeatKind
        /// The ticket type's id.
        public let type: String
        /// How many seats of `kind` get this type.
        public let count: Int

        /// Creates an entry.
        public init(kind: SeatKind, type: String, count: Int) {
            self.kind = kind
            self.type = type
            self.count = count
        }

        /// `<kind>:<type>=<count>`, as the protocol and the scripts write it.
        public var text: String { "\(kind.rawValue):\(type)=\(count)" }
    }

    /// The entries, as the customer gave them; each kind and type at most once.
    public let entries: [Entry]

    /// No choice: every seat as the show's default type.
    public static let standard = TicketChoice(entries: [])

    /// Creates a choice.
    public init(entries: [Entry]) { self.entries = entries }

    /// The entries as the protocol writes them, space-separated: `standard:adult=1 standard:child=2`.
    public var text: String { entries.map(\.text).joined(separator: " ") }
}
