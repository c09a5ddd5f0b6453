import CHiredis
import NIOCore

/// One Redis command: its name and arguments, as they go on the wire.
public struct RedisCommand: Sendable, Equatable {
    /// The command name followed by its arguments.
    public var arguments: [String]
    /// The script to send with `EVAL` if Redis answers this `EVALSHA` with `NOSCRIPT`.
    public var scriptFallback: RedisScript?

    /// Creates a command from its name and arguments, for example `RedisCommand("HGET", "key", "field")`.
    public init(_ name: String, _ arguments: String...) {
        self.arguments = [name] + arguments
        self.scriptFallback = nil
    }

    /// Creates a command from its name and an array of arguments.
    public init(_ name: String, arguments: [String]) {
        self.arguments = [name] + arguments
        self.scriptFallback = nil
    }

    /// Runs a Lua script by its SHA-1, falling back to sending its source if the server does not know it.
    public static func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) -> RedisCommand {
        var command = RedisCommand("EVALSHA", arguments: [script.sha1, String(keys.count)] + keys + arguments)
        command.scriptFallback = script
        return command
    }

    /// The same invocation sent with the script's source (`EVAL`), used after a `NOSCRIPT` reply.
    var withScriptSource: RedisCommand? {
        guard let script = scriptFallback, arguments.first == "EVALSHA" else { return nil }
        var arguments = self.arguments
        arguments[0] = "EVAL"
        arguments[1] = script.source
        return RedisCommand(arguments[0], arguments: Array(arguments.dropFirst()))
    }

    /// Appends the command in RESP form, formatted by hiredis, to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        var bytes: [UInt8] = []
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            let utf8 = argument.utf8
            bytes.append(contentsOf: utf8)
            lengths.append(utf8.count)
        }
        bytes.append(0)  // never empty, so the buffer always has a base address
        bytes.withUnsafeBufferPointer { storage in
            let base = UnsafeRawPointer(storage.baseAddress!)
            var offset = 0
            var pointers: [UnsafePointer<CChar>?] = lengths.map { length in
                defer { offset += length }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            var formatted: UnsafeMutablePointer<CChar>?
            let length = redisFormatCommandArgv(&formatted, Int32(pointers.count), &pointers, lengths)
            defer { redisFreeCommand(formatted) }
            guard length > 0, let formatted else { return }
            buffer.writeBytes(UnsafeRawBufferPointer(start: formatted, count: Int(length)))
        }
    }
}
