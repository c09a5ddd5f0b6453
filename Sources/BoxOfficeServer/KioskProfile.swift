import BoxOfficeCore
import BoxOfficeStore
import Credentials
import Payments

/// What the daemon knows of one kiosk: how it proves who it is, and the rules its booking sessions run under.
public final class KioskProfile: Sendable {
    /// The kiosk's id, as sent with `KIOSK`.
    public let id: KioskID
    /// The SHA-256 of the kiosk's secret.
    public let secretDigest: SecretDigest
    /// Seat limit, session timeout, payment attempts and payment grace period.
    public let policy: SessionPolicy
    /// Password checks (LOGIN and REGISTER) the kiosk may ask for in a minute; each costs a slow hash.
    public let passwordChecksPerMinute: Int
    /// Connections the kiosk may have identified at once; one more closes its oldest.
    public let maxConnections: Int
    /// A customer's kiosk, or a door scanner.
    public let role: KioskRole

    /// The defaults for numbers a profile leaves out.
    public enum Defaults {
        /// Most seats one booking may hold.
        public static let maxSeats = 8
        /// Seconds a session may hold seats.
        public static let sessionTimeoutSeconds = 300
        /// Declined payments a session survives.
        public static let paymentAttempts = 3
        /// Seconds a payment in flight extends the holds.
        public static let paymentGraceSeconds = 60
        /// The shortest payment grace a profile may give: twice the gateway's time limit (an authorization that
        /// times out, then its void) and 5 s more for the steps in Redis around them. A shorter one lets holds run
        /// out while the gateway is still authorizing: a customer approved by the card network would then lose the
        /// seats.
        public static let shortestPaymentGraceSeconds =
            2 * Int(TimeLimitedGateway.standardLimit.components.seconds) + 5
        /// Password checks a kiosk may ask for in a minute.
        public static let passwordChecksPerMinute = 30
        /// Connections one kiosk may have at once (it uses one; another while it reconnects).
        public static let maxConnections = 4
        /// Sessions one customer may open in 10 minutes.
        public static let sessionsPerCustomer = SessionPolicy.defaultStartsPerCustomer
        /// Sessions a kiosk may open in 10 minutes.
        public static let sessionsPerKiosk = SessionPolicy.defaultStartsPerKiosk
        /// Minutes before a show's start that a door starts admitting its ticket holders.
        public static let entryOpensMinutesBeforeStart = EntryWindow.standard.opensMinutesBeforeStart
        /// Minutes after a show's end that a door stops admitting them.
        public static let entryClosesMinutesAfterEnd = EntryWindow.standard.closesMinutesAfterEnd
    }

    /// Creates a profile.
    public init(
        id: KioskID, secretDigest: SecretDigest, policy: SessionPolicy,
        passwordChecksPerMinute: Int = Defaults.passwordChecksPerMinute, maxConnections: Int = Defaults.maxConnections,
        role: KioskRole = .customer
    ) {
        self.id = id
        self.secretDigest = secretDigest
        self.policy = policy
        self.passwordChecksPerMinute = passwordChecksPerMinute
        self.maxConnections = maxConnections
        self.role = role
    }
}
