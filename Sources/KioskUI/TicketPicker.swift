import BoxOfficeCore

/// The ticket types a customer picks on the payment screen (protocol revision 1.4): how many tickets of each type
/// sold for the kinds of seat held. Every seat starts as its kind's default type (the first PRICES lists); one
/// more of a type takes one from the default of its kind, one fewer gives it back, so the counts always add up.
public struct TicketPicker: Hashable, Sendable {
    /// One type on one kind of seat.
    public struct Row: Hashable, Sendable {
        /// The seats' kind.
        public var kind: SeatKind
        /// The type's id.
        public var type: String
        /// What customers read.
        public var name: String
        /// One ticket's price, in minor units.
        public var unit: Int
        /// How many seats of `kind` get this type.
        public var count: Int
    }

    /// The rows: kinds held in alphabetical order, each kind's types in the order PRICES lists them (the default
    /// first).
    public private(set) var rows: [Row]
    /// The row `+` and `-` change.
    public var cursor = 0

    /// A picker for seats whose kinds are `held` (kind → seats), with the types of `table`; nil when the show
    /// offers no choice (no TYPE lines, or a single type for every kind held).
    public init?(table: PriceTable?, held: [SeatKind: Int]) {
        var rows: [Row] = []
        for kind in held.keys.sorted() {
            let options = (table?.types ?? []).filter { $0.kind == kind }
            guard !options.isEmpty else { return nil }
            rows += options.map { Row(kind: kind, type: $0.id, name: $0.name, unit: $0.price, count: 0) }
            rows[rows.count - options.count].count = held[kind] ?? 0
        }
        guard rows.count > held.count else { return nil }
        self.rows = rows
    }

    /// One more ticket of the type under the cursor, one fewer of its kind's default; false when none is left.
    public mutating func add() -> Bool { move(from: defaultRow(of: cursor), to: cursor) }

    /// One fewer ticket of the type under the cursor, one more of its kind's default; false when there is none.
    public mutating func remove() -> Bool { move(from: cursor, to: defaultRow(of: cursor)) }

    /// The choice as QUOTE and PAY send it: `<kind>:<type>=<count>` for each row with tickets.
    public var arguments: [String] {
        rows.filter { $0.count > 0 }.map { "\($0.kind.rawValue):\($0.type)=\($0.count)" }
    }

    /// The name of type `id`, for the quote's lines.
    public func name(of id: String) -> String? { rows.first { $0.type == id }?.name }

    private func defaultRow(of index: Int) -> Int {
        rows.firstIndex { $0.kind == rows[index].kind } ?? index
    }

    private mutating func move(from source: Int, to target: Int) -> Bool {
        guard source != target, rows.indices.contains(source), rows[source].count > 0 else { return false }
        rows[source].count -= 1
        rows[target].count += 1
        return true
    }
}
