import Foundation

/// Where a `boxofficed` listens for kiosks: a host name or IP address and a TCP port.
public struct DaemonAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host name or IP address, without the brackets an IPv6 address is written in.
    public var host: String
    /// The TCP port, 1 to 65535.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, an IPv6 address in brackets (`[::1]:7420`).
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Reads `--connect`: one address or several, comma-separated, each `HOST:PORT` (an IPv6 address in brackets,
    /// `[::1]:7420`; the port is what follows the last colon). Spaces around an element are ignored.
    /// - Returns: the addresses in the order given, at least one, no two alike.
    /// - Throws: ``DaemonAddressError`` naming the first element that is not an address, or one named twice.
    public static func list(_ text: String) throws(DaemonAddressError) -> [DaemonAddress] {
        var addresses: [DaemonAddress] = []
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            let address = try DaemonAddress(parsing: element.trimmingCharacters(in: .whitespaces))
            guard !addresses.contains(address) else { throw DaemonAddressError("\(address) is named twice") }
            addresses.append(address)
        }
        return addresses
    }

    /// Reads one `HOST:PORT`.
    /// - Throws: ``DaemonAddressError`` saying what is wrong with `text`.
    init(parsing text: String) throws(DaemonAddressError) {
        guard !text.isEmpty else {
            throw DaemonAddressError("an address is empty (two commas together, or one at an end)")
        }
        guard let colon = text.lastIndex(of: ":") else { throw DaemonAddressError("\"\(text)\" is not HOST:PORT") }
        guard let port = Int(text[text.index(after: colon)...]) else {
            throw DaemonAddressError("\"\(text)\": no port number after the last colon")
        }
        guard (1...65535).contains(port) else {
            throw DaemonAddressError("\"\(text)\": the port must be 1 to 65535")
        }
        var host = text[..<colon]
        if host.hasPrefix("[") || host.hasSuffix("]") {
            guard host.count >= 2, host.hasPrefix("["), host.hasSuffix("]") else {
                throw DaemonAddressError("\"\(text)\": unmatched brackets (an IPv6 host is written [::1]:7420)")
            }
            host = host.dropFirst().dropLast()
        }
        guard !host.isEmpty else { throw DaemonAddressError("\"\(text)\": no host before the port") }
        guard !host.contains(where: { $0 == "[" || $0 == "]" || $0.isWhitespace }) else {
            throw DaemonAddressError("\"\(text)\" is not HOST:PORT")
        }
        self.init(host: String(host), port: port)
    }
}
