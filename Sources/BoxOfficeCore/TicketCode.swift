/// What a customer shows at the door: `<show-id>.<32 lowercase hex digits>`, 128 random bits after the show's id.
///
/// Random and stored rather than signed: a cancelled booking's code is refused by looking it up, there is no signing
/// key to keep or rotate, and the door asks Redis anyway so that admission is atomic. The show id in front routes
/// a door's ADMIT to the show's keys (its Cluster slot) without a lookup elsewhere.
public struct TicketCode: Hashable, Sendable, CustomStringConvertible {
    /// How many random hex digits follow the show id.
    public static let randomDigits = 32
    /// The longest code: a show id of 32, the dot, the digits.
    public static let maximumLength = 32 + 1 + randomDigits

    /// The code's text.
    public let rawValue: String
    /// The show the ticket is for.
    public let show: ShowID

    /// Validates a code; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count <= Self.maximumLength, let dot = text.lastIndex(of: ".") else { return nil }
        let digits = text[text.index(after: dot)...]
        guard let show = ShowID(text[..<dot]), digits.utf8.count == Self.randomDigits,
            digits.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        self.show = show
        rawValue = String(text)
    }

    /// A code for `show` with the given random digits (32 lowercase hex); nil when they are out of form.
    public init?(show: ShowID, randomHex: String) {
        self.init("\(show.rawValue).\(randomHex)")
    }

    public var description: String { rawValue }
}
