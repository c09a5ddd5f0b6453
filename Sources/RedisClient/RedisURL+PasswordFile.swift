import FoundationEssentials

extension RedisURL {
    /// Why a Redis password file could not be read; names the file, never its content.
    public struct PasswordFileError: Error, CustomStringConvertible {
        /// What went wrong, for the operator.
        public let description: String

        /// Creates an error saying `description`.
        public init(description: String) { self.description = description }
    }

    /// The URL with its password read from the first line of the file at `path` (without its line ending), so that
    /// the password never appears on a command line.
    /// - Throws: ``PasswordFileError`` when the file cannot be read or its first line is empty.
    public func withPassword(fromFile path: String) throws(PasswordFileError) -> RedisURL {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw PasswordFileError(description: "cannot read the Redis password file \(path)") }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let password = line.hasSuffix("\r") ? line.dropLast() : line
        guard !password.isEmpty else {
            throw PasswordFileError(description: "the Redis password file \(path) is empty")
        }
        var url = self
        url.password = String(password)
        return url
    }
}
