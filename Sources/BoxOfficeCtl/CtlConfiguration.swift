import ArgumentParser
import Foundation
import TOML

/// `boxofficectl`'s configuration file, `/etc/boxoffice/boxofficectl.toml` (`make install` writes it): where Redis is
/// and how to log in, so that an operator on the production host types the command and nothing more.
///
/// ```toml
/// redis_url = "redis://127.0.0.1:6380/0"
/// redis_user = "boxofficectl"
/// redis_password_file = "/etc/boxoffice/redis-boxofficectl.password"
/// prefix = "boxoffice"
/// ```
/// Every key is optional; an unknown key or a value that is not a string is an error.
struct CtlConfiguration: Equatable {
    /// Where the file is looked for when neither `--config` nor `$BOXOFFICECTL_CONFIG` names one.
    static let defaultPath = "/etc/boxoffice/boxofficectl.toml"

    /// The Redis server or cluster seeds, as `--redis` takes them.
    var redisURL: String?
    /// The ACL user to log in as, when the URL names none.
    var redisUser: String?
    /// The file whose first line is the Redis password.
    var redisPasswordFile: String?
    /// The key prefix BoxOffice runs under.
    var prefix: String?

    /// The configuration with nothing set (no file).
    init() {}

    /// Reads the file at `path`.
    /// - Throws: a `ValidationError` naming the file when it cannot be read, is not TOML, or has an unknown key or a
    ///   value that is not a string.
    init(contentsOf path: String) throws(ValidationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "unreadable or not UTF-8" : "no such file"
            throw ValidationError("cannot read the configuration file \(path): \(reason)")
        }
        let root: TOMLTable
        do {
            root = try TOMLDocument(parsing: text).root
        } catch {
            throw ValidationError("\(path):\(error)")
        }
        func string(_ key: String) throws(ValidationError) -> String? {
            guard let value = root[key] else { return nil }
            guard let text = value.string else { throw ValidationError("\(path): \(key) must be a string") }
            return text
        }
        let known = ["redis_url", "redis_user", "redis_password_file", "prefix"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) {
            throw ValidationError(
                "\(path): unknown key \(unknown) (known: \(known.joined(separator: ", ")))")
        }
        redisURL = try string("redis_url")
        redisUser = try string("redis_user")
        redisPasswordFile = try string("redis_password_file")
        prefix = try string("prefix")
    }

    /// The configuration file in effect: the one `--config` names, else `$BOXOFFICECTL_CONFIG`'s, else the default
    /// path when that file exists, else none.
    /// - Throws: a `ValidationError` when a named file cannot be read or is invalid.
    static func load(named path: String?, environment: [String: String]) throws(ValidationError) -> CtlConfiguration {
        if let path = path ?? environment["BOXOFFICECTL_CONFIG"] { return try CtlConfiguration(contentsOf: path) }
        guard FileManager.default.fileExists(atPath: defaultPath) else { return CtlConfiguration() }
        return try CtlConfiguration(contentsOf: defaultPath)
    }
}
