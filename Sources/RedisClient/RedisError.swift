/// Why a Redis call could not be completed: Redis was unreachable, too slow, or refused the connection.
///
/// An error *reply* from Redis is not a `RedisError`; it arrives as ``RedisReply/error(_:)``.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case connectFailed(String)
        case connectionLost
        case setupRejected(String)
        case protocolViolation(String)
        case commandRefused(String)
        case clientClosed
    }

    private let kind: Kind

    /// The TCP connection could not be opened in time.
    public static func connectFailed(_ reason: String) -> RedisError { RedisError(kind: .connectFailed(reason)) }
    /// The connection closed or timed out while commands were in flight.
    public static let connectionLost = RedisError(kind: .connectionLost)
    /// Redis rejected AUTH or SELECT when the connection was set up.
    public static func setupRejected(_ reason: String) -> RedisError { RedisError(kind: .setupRejected(reason)) }
    /// Redis sent bytes that are not RESP.
    public static func protocolViolation(_ reason: String) -> RedisError {
        RedisError(kind: .protocolViolation(reason))
    }
    /// Redis answered a command that a helper of this client sent on its own behalf (such as SCAN) with an error.
    public static func commandRefused(_ message: String) -> RedisError { RedisError(kind: .commandRefused(message)) }
    /// The client was shut down.
    public static let clientClosed = RedisError(kind: .clientClosed)

    /// True when the connection could not be opened: nothing was sent, so the command may go elsewhere.
    var isConnectFailure: Bool {
        if case .connectFailed = kind { true } else { false }
    }

    /// True when Redis itself refused the connection setup (wrong password, unknown user, no such database):
    /// trying again will not help until the configuration changes.
    public var isSetupRejected: Bool {
        if case .setupRejected = kind { true } else { false }
    }

    public var description: String {
        switch kind {
        case .connectFailed(let reason): "cannot connect to Redis: \(reason)"
        case .connectionLost: "connection to Redis lost or timed out"
        case .setupRejected(let reason): "Redis rejected the connection setup: \(reason)"
        case .protocolViolation(let reason): "Redis protocol error: \(reason)"
        case .commandRefused(let message): "Redis refused a command: \(message)"
        case .clientClosed: "Redis client closed"
        }
    }
}
