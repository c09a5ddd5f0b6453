import FoundationEssentials
import RedisClient

extension BoxOfficeDaemon {
    /// The systemd credential (`LoadCredential=redis-password:...`) read when no password file is named.
    static let redisPasswordCredential = "redis-password"

    /// The Redis URL with its password filled in from `--redis-password-file`, or else from the credential
    /// systemd passed in `$CREDENTIALS_DIRECTORY`, or else as the URL has it.
    /// - Throws: ``RedisURL/PasswordFileError`` when the file cannot be read or is empty, or when the URL names a
    ///   user but no password can be found.
    static func resolvedRedisURL(
        _ url: RedisURL, passwordFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RedisURL {
        var url = url
        if let passwordFile {
            url = try url.withPassword(fromFile: passwordFile)
        } else if url.password == nil, let directory = environment["CREDENTIALS_DIRECTORY"] {
            let credential = URL(fileURLWithPath: directory).appendingPathComponent(redisPasswordCredential).path
            if FileManager.default.fileExists(atPath: credential) { url = try url.withPassword(fromFile: credential) }
        }
        if let user = url.username, url.password == nil {
            throw RedisURL.PasswordFileError(
                description: "--redis names the Redis user \(user) but no password: use --redis-password-file")
        }
        return url
    }
}
