import Foundation
import RedisClient

extension BoxOfficeDaemon {
    /// The systemd credential (`LoadCredential=redis-password:...`) read when no password file is named.
    static let redisPasswordCredential = "redis-password"

    /// Why the Redis password could not be read; names the file, never its content.
    struct PasswordFileError: Error, CustomStringConvertible {
        let description: String
    }

    /// The Redis URL with its password filled in from `--redis-password-file`, or else from the credential
    /// systemd passed in `$CREDENTIALS_DIRECTORY`, or else as the URL has it.
    /// - Throws: ``PasswordFileError`` when the file cannot be read or is empty, or when the URL names a user
    ///   but no password can be found.
    static func resolvedRedisURL(
        _ url: RedisURL, passwordFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RedisURL {
        var url = url
        if let passwordFile {
            url.password = try readPassword(at: passwordFile)
        } else if url.password == nil, let directory = environment["CREDENTIALS_DIRECTORY"] {
            let credential = URL(fileURLWithPath: directory).appendingPathComponent(redisPasswordCredential).path
            if FileManager.default.fileExists(atPath: credential) { url.password = try readPassword(at: credential) }
        }
        if let user = url.username, url.password == nil {
            throw PasswordFileError(
                description: "--redis names the Redis user \(user) but no password: use --redis-password-file")
        }
        return url
    }

    /// The first line of a password file, without its line ending.
    private static func readPassword(at path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw PasswordFileError(description: "cannot read the Redis password file \(path)") }
        let password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = password.hasSuffix("\r") ? password.dropLast() : password
        guard !trimmed.isEmpty else { throw PasswordFileError(description: "the Redis password file \(path) is empty") }
        return String(trimmed)
    }
}
