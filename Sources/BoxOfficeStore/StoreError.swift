import BoxOfficeCore
import RedisClient

/// Why a store operation did not complete: a theatre rule said no, Redis was unreachable, or Redis answered
/// something this version of BoxOffice does not understand.
public enum StoreError: Error, Equatable, Sendable {
    /// A booking rule refused the operation; nothing changed.
    case rejected(BookingError)
    /// Redis could not be reached or did not answer in time; the operation may or may not have run.
    case unavailable(RedisError)
    /// Redis answered with an error or an unexpected shape; the text is for the log only.
    case unexpectedReply(String)
}

/// The reply of one of the store's scripts: an outcome word followed by its details.
struct ScriptReply {
    let outcome: String
    let details: [String]

    init(_ reply: RedisReply) throws(StoreError) {
        guard let elements = reply.array, let first = elements.first?.string else {
            throw .unexpectedReply("\(reply)")
        }
        outcome = first
        details = elements.dropFirst().compactMap(\.string)
    }

    /// The details read as seat ids.
    var seats: [SeatID] { seats(from: 0) }

    /// The details from `index` on, read as seat ids.
    func seats(from index: Int) -> [SeatID] { details.dropFirst(index).compactMap { SeatID($0) } }

    /// The detail at `index` as an integer.
    func integer(at index: Int) throws(StoreError) -> Int {
        guard index < details.count, let value = Int(details[index]) else {
            throw .unexpectedReply("\(outcome) \(details)")
        }
        return value
    }
}

extension RedisClient {
    /// Sends commands as one pipeline, mapping transport failures to ``StoreError/unavailable(_:)``.
    func pipeline(_ commands: [RedisCommand]) async throws(StoreError) -> [RedisReply] {
        do {
            return try await send(commands)
        } catch {
            throw .unavailable(error)
        }
    }

    /// Sends one command, mapping transport failures to ``StoreError/unavailable(_:)`` and error replies to
    /// ``StoreError/unexpectedReply(_:)``.
    func run(_ command: RedisCommand) async throws(StoreError) -> RedisReply {
        let reply = try await pipeline([command])[0]
        if let message = reply.errorMessage { throw .unexpectedReply(message) }
        return reply
    }

    /// Runs one of the store's scripts and parses its reply.
    func script(_ script: RedisScript, keys: [String], arguments: [String]) async throws(StoreError) -> ScriptReply {
        try await self.script(.evaluate(script, keys: keys, arguments: arguments))
    }

    /// Runs a script call built beforehand and parses its reply.
    func script(_ call: RedisCommand) async throws(StoreError) -> ScriptReply {
        try ScriptReply(await run(call))
    }
}
