/// An amount of money in a currency's minor units (cents for EUR and USD).
public struct Money: Sendable, Equatable, CustomStringConvertible {
    /// The amount in minor units.
    public let minorUnits: Int
    /// The ISO 4217 currency code, such as `EUR`.
    public let currency: String

    /// Creates an amount.
    public init(minorUnits: Int, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public var description: String { "\(minorUnits) \(currency)" }
}

/// The payment token a kiosk's card terminal hands over: 1 to 64 of `A-Z a-z 0-9 _`. The daemon never sees card
/// numbers. It never prints itself, so it cannot leak into a log.
public struct PaymentToken: Sendable, CustomStringConvertible {
    /// The token as the terminal gave it.
    public let value: String

    /// Validates a token; nil when it is out of form.
    public init?(_ text: some StringProtocol) {
        guard (1...64).contains(text.utf8.count),
            text.utf8.allSatisfy({
                (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || $0 == 95
            })
        else { return nil }
        value = String(text)
    }

    public var description: String { "<payment token>" }
}

/// Why the gateway declined an authorization, as the customer may be told.
public enum DeclineReason: String, CaseIterable, Sendable, Equatable {
    /// The card issuer declined.
    case declined = "DECLINED"
    /// Not enough funds.
    case insufficientFunds = "INSUFFICIENT_FUNDS"
    /// The token is not one the gateway issued.
    case invalidToken = "INVALID_TOKEN"
}

/// Where an authorization stands at the gateway.
public enum PaymentState: String, Sendable, Equatable {
    /// The amount is reserved on the card, not yet taken.
    case authorized = "AUTHORIZED"
    /// The amount is taken.
    case captured = "CAPTURED"
    /// The reservation was released; nothing is taken.
    case voided = "VOIDED"
    /// The authorization was refused.
    case declined = "DECLINED"
    /// The captured amount was given back.
    case refunded = "REFUNDED"
}

/// The gateway's record of one payment attempt, found by its idempotency key.
public struct PaymentRecord: Sendable, Equatable {
    /// The key the daemon chose for the attempt.
    public let idempotencyKey: String
    /// The amount authorized.
    public let amount: Money
    /// Where the attempt stands.
    public let state: PaymentState
    /// Why it was declined, when it was.
    public let declineReason: DeclineReason?

    /// Creates a record.
    public init(idempotencyKey: String, amount: Money, state: PaymentState, declineReason: DeclineReason?) {
        self.idempotencyKey = idempotencyKey
        self.amount = amount
        self.state = state
        self.declineReason = declineReason
    }
}

/// The gateway could not be reached, or refused an operation that contradicts the payment's state.
public struct PaymentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the log.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}

/// A card payment provider: authorize an amount, then capture or void it, and refund a captured one. Every operation
/// is idempotent by the attempt's key, so a daemon restarted halfway can finish what it began.
public protocol PaymentGateway: Sendable {
    /// Reserves `amount` on the card behind `token`; asking again with the same key returns the first outcome.
    func authorize(idempotencyKey: String, token: PaymentToken, amount: Money) async throws(PaymentError)
        -> PaymentRecord
    /// Takes an authorized amount. Capturing twice is harmless; capturing a voided payment fails.
    func capture(idempotencyKey: String) async throws(PaymentError)
    /// Releases an authorized amount. Voiding twice, or voiding an attempt never authorized, is harmless;
    /// voiding a captured payment fails.
    func void(idempotencyKey: String) async throws(PaymentError)
    /// Gives a captured amount back. Refunding twice is harmless; refunding a payment that was never captured
    /// (authorized only, voided, declined or unknown) fails.
    func refund(idempotencyKey: String) async throws(PaymentError)
    /// The record of the attempt with this key, or nil when the gateway never saw it.
    func lookup(idempotencyKey: String) async throws(PaymentError) -> PaymentRecord?
}
