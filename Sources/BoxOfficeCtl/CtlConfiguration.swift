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
/// Every key is optional; an unknown key or a value that is not a string is an error. A file that names a password
/// file must belong to root or the calling user and be neither group- nor world-writable (see ``untrusted``).
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

    /// The file the configuration came from, or nil when there is none.
    var path: String?
    /// Why the file may not be trusted with a Redis password: it belongs to someone other than root or the calling
    /// user, or is group- or world-writable, so someone else could point `redis_url` at their own host. Nil when
    /// the file passes the rule `ssh` applies to its own files, or when there is no file.
    var untrusted: String?

    /// The configuration with nothing set (no file).
    init() {}

    /// Reads the file at `path`, opened once: its owner and mode are those of the file whose text is parsed.
    ///
    /// No message quotes the file's text: `--config` can name any file the caller (perhaps root) can read, such as a
    /// password file, so a syntax error is reported as `path:line:column` and a fixed description.
    /// - Throws: a `ValidationError` naming the file when it cannot be read, is not TOML, or has an unknown key or a
    ///   value that is not a string.
    init(contentsOf path: String) throws(ValidationError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw ValidationError("cannot read the configuration file \(path): \(reason)")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ValidationError("cannot read the configuration file \(path): \(String(cString: strerror(errno)))")
        }
        untrusted = Self.untrusted(owner: status.st_uid, mode: status.st_mode)
        let data: Data
        do {
            data = try handle.read(upToCount: TOMLDocument.maximumSize + 1) ?? Data()
        } catch {
            throw ValidationError("cannot read the configuration file \(path): unreadable")
        }
        guard data.count <= TOMLDocument.maximumSize else {
            throw ValidationError("cannot read the configuration file \(path): larger than 1 MiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read the configuration file \(path): not UTF-8")
        }
        let root: TOMLTable
        do {
            root = try TOMLDocument(parsing: text).root
        } catch {
            // The parser's message may quote the text (`expected '=' after the key "..."`): only its position.
            throw ValidationError("\(path):\(error.line):\(error.column): not a valid TOML configuration file")
        }
        func string(_ key: String) throws(ValidationError) -> String? {
            guard let value = root[key] else { return nil }
            guard let text = value.string else {
                throw ValidationError("\(path):\(value.line): \(key) must be a string")
            }
            return text
        }
        let known = ["redis_url", "redis_user", "redis_password_file", "prefix"]
        if let unknown = root.keys.first(where: { !known.contains($0) }), let value = root[unknown] {
            // The key is the file's text too: its line only.
            throw ValidationError(
                "\(path):\(value.line): unknown key (known: \(known.joined(separator: ", ")))")
        }
        redisURL = try string("redis_url")
        redisUser = try string("redis_user")
        redisPasswordFile = try string("redis_password_file")
        prefix = try string("prefix")
    }

    /// Why a file with this owner and mode may not be trusted with a Redis password, or nil when it may: it must
    /// belong to root or to the calling (real) user, and be neither group- nor world-writable.
    static func untrusted(owner: uid_t, mode: mode_t) -> String? {
        if owner != 0 && owner != getuid() {
            return "belongs to uid \(owner), neither root nor you"
        }
        if mode & (S_IWGRP | S_IWOTH) != 0 {
            return "is group- or world-writable (mode 0\(String(mode & 0o777, radix: 8)))"
        }
        return nil
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
