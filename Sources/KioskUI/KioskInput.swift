import Foundation

/// The kiosk's fixed settings, from its command line.
public struct KioskConfiguration: Sendable {
    /// The kiosk's id (its profile on the daemon).
    public var kioskID: String
    /// The kiosk's secret; sent only in `KIOSK`.
    public var secret: String
    /// Seconds without a key press after which the customer's session is closed and logged out.
    public var idleResetSeconds: Double
    /// Whether to offer the payment simulator's test tokens.
    public var demo: Bool
    /// The zone show times are shown in.
    public var timeZone: TimeZone

    /// Creates a configuration.
    public init(kioskID: String, secret: String, idleResetSeconds: Double = 90, demo: Bool = false, timeZone: TimeZone)
    {
        self.kioskID = kioskID
        self.secret = secret
        self.idleResetSeconds = idleResetSeconds
        self.demo = demo
        self.timeZone = timeZone
    }

    /// The payment simulator's test tokens, offered in demo mode.
    public static let demoTokens: [(token: String, label: String)] = [
        ("tok_visa", "Visa test card (approved)"),
        ("tok_mastercard", "Mastercard test card (approved)"),
        ("tok_chargeDeclined", "Test card that is declined"),
        ("tok_chargeDeclinedInsufficientFunds", "Test card with insufficient funds"),
    ]
}

/// A request as the kiosk sent it: the command, and the epoch the kiosk was in, so that late replies to a
/// customer who has gone (idle reset, logout) or to a dead connection are dropped.
public struct Request: Hashable, Sendable {
    /// The command.
    public var command: KioskCommand
    /// The kiosk's epoch when it was sent.
    public var epoch: Int

    /// Creates a request.
    public init(_ command: KioskCommand, epoch: Int) {
        self.command = command
        self.epoch = epoch
    }
}

/// Something that happened to the kiosk: a key, a line (plain mode), the connection, a reply, an event, a tick.
public enum KioskInput: Sendable {
    /// A key pressed (full-screen mode).
    case key(Key)
    /// A line typed (plain mode).
    case line(String)
    /// The connection is up and the greeting was read.
    case connected
    /// The connection failed or dropped.
    case disconnected
    /// The reply to a request.
    case reply(Request, ServerReply)
    /// An `EVENT ...` line.
    case event(String)
    /// Time passed (the shell ticks a few times a second).
    case tick
}

/// What the kiosk asks its shell to do.
public enum KioskAction: Hashable, Sendable {
    /// Send a request line.
    case send(Request)
    /// Drop the connection (if any) and connect again after a delay, in seconds.
    case reconnect(after: Double)
    /// Leave the program (Ctrl-C).
    case quit
}
