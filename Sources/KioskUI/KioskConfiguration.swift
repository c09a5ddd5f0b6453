import Foundation

/// The kiosk's fixed settings, from its command line.
public struct KioskConfiguration: Sendable {
    /// The kiosk's id (its profile on the daemon).
    public var kioskID: String
    /// The kiosk's secret; sent only in `KIOSK`.
    public var secret: String
    /// The daemons to connect to, in the order they are tried (`--connect`); never empty.
    public var daemons: [DaemonAddress]
    /// Seconds without a key press after which the customer's session is closed and logged out.
    public var idleResetSeconds: Double
    /// Whether to offer the payment simulator's test tokens.
    public var demo: Bool
    /// The zone show times are shown in until the box office names the theatre's (a daemon older than `ZONE`).
    public var timeZone: TimeZone
    /// The receipt printer's device or file (`--printer`), which each booking's ticket is printed to; nil for none.
    public var printer: String?

    /// Creates a configuration.
    public init(
        kioskID: String, secret: String, daemons: [DaemonAddress], idleResetSeconds: Double = 90, demo: Bool = false,
        timeZone: TimeZone, printer: String? = nil
    ) {
        self.kioskID = kioskID
        self.secret = secret
        self.daemons = daemons
        self.idleResetSeconds = idleResetSeconds
        self.demo = demo
        self.timeZone = timeZone
        self.printer = printer
    }

    /// True when `id` is a kiosk id: 1 to 64 of A-Z a-z 0-9 `_` `.` `-` (docs/PROTOCOL.md).
    public static func isValidKioskID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            }
    }

    /// The secret a secret file holds: its first line (a CRLF ending is allowed), 1 to 256 bytes of UTF-8 with no
    /// spaces or control characters. What follows the first line is ignored.
    /// - Throws: ``SecretFileError`` saying what is wrong, without the secret.
    public static func secret(fromFile contents: [UInt8]) throws(SecretFileError) -> String {
        var line = contents.prefix { $0 != UInt8(ascii: "\n") }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard !line.isEmpty else { throw SecretFileError("its first line is empty") }
        guard line.count <= 256 else { throw SecretFileError("the secret is longer than 256 bytes") }
        guard let secret = String(validating: line, as: UTF8.self) else {
            throw SecretFileError("the secret is not UTF-8")
        }
        guard
            !secret.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            })
        else {
            throw SecretFileError("the secret holds a space or a control character")
        }
        return secret
    }

    /// The payment simulator's test tokens, offered in demo mode.
    public static let demoTokens: [(token: String, label: String)] = [
        ("tok_visa", "Visa test card (approved)"),
        ("tok_mastercard", "Mastercard test card (approved)"),
        ("tok_chargeDeclined", "Test card that is declined"),
        ("tok_chargeDeclinedInsufficientFunds", "Test card with insufficient funds"),
    ]
}
