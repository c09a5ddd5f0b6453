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

/// Why a secret file cannot be used; never quotes the secret.
public struct SecretFileError: Error, CustomStringConvertible {
    /// What is wrong, in words.
    public var description: String

    /// Creates an error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
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
