/// One reply of the server: its data lines and its final `OK ...` or `ERR ...` line.
public struct ServerReply: Hashable, Sendable {
    /// The data lines.
    public var data: [String]
    /// The final line.
    public var final: String

    /// Creates a reply.
    public init(data: [String] = [], final: String) {
        self.data = data
        self.final = final
    }

    /// True when the final line is `OK` or starts with `OK `.
    public var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }
    /// The words of the final line after `OK` or `ERR`.
    public var words: [String] { final.split(separator: " ").dropFirst().map(String.init) }
    /// The error code of an `ERR` reply.
    public var errorCode: String? { isOK ? nil : words.first }
}
