import ArgumentParser
import BoxOfficeStore
import Foundation
import Logging
import OperatorConsole
import Payments
import RedisClient

/// `boxofficectl`: the operator's tool. Reads Redis directly, so it works while the daemon is down; every change it
/// makes goes through the store's atomic operations and is audited.
@main
struct BoxOfficeCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxofficectl",
        abstract: "Looks after a BoxOffice in Redis: the programme, seats, sessions, bookings, users, the audit trail.",
        discussion: """
            Tables for people by default; --json prints one JSON document for scripts. The options common to every \
            command (--redis, --redis-password-file, --prefix, --config, --json, --utc) may come before the command \
            too. Without --redis, $BOXOFFICE_REDIS_URL, else the configuration file (--config, \
            $BOXOFFICECTL_CONFIG, else \(CtlConfiguration.defaultPath) when present), else redis://127.0.0.1:6379/0.
            """,
        subcommands: [
            Load.self, Shows.self, Seats.self, Sessions.self, Release.self, Bookings.self, Cancel.self, Users.self,
            Stats.self, Takings.self, Audit.self, Admissions.self,
        ])

    /// Parses the command line with the common options accepted before the subcommand as well as after it.
    static func main() async {
        await main(GlobalArguments.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
    }

    /// Without a subcommand: the usage on standard error, and exit 64 (EX_USAGE).
    func run() async throws {
        FileHandle.standardError.write(Data(Self.helpMessage().utf8))
        throw ExitCode(64)
    }
}

/// The flags every subcommand takes: where Redis is, how to log in, the key prefix, and the output form.
struct Options: ParsableArguments {
    @Option(
        help: """
            The Redis server, or a cluster's seeds: redis://[user[:password]@]host[:port][/db][,host:port...]; \
            else $BOXOFFICE_REDIS_URL, else the configuration file's redis_url, else redis://127.0.0.1:6379/0.
            """)
    var redis: String?

    @Option(
        help: ArgumentHelp(
            "Read the Redis password from this file's first line, so it is not on the command line.",
            valueName: "path"))
    var redisPasswordFile: String?

    @Option(help: "The key prefix BoxOffice runs under (default boxoffice, or the configuration file's prefix).")
    var prefix: String?

    @Option(
        help: ArgumentHelp(
            "The configuration file; else $BOXOFFICECTL_CONFIG, else \(CtlConfiguration.defaultPath) if present.",
            valueName: "path"))
    var config: String?

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(help: "Print times in UTC instead of the theatre's time zone.")
    var utc = false

    /// Where to connect, worked out once by `validate()`, so that the configuration file is read once.
    private var resolved: (urls: [RedisURL], keys: StoreKeys)?

    private enum CodingKeys: String, CodingKey {
        case redis, redisPasswordFile, prefix, config, json, utc
    }

    mutating func validate() throws {
        resolved = try connection()
    }

    /// Where to connect and under which prefix: the command line, then $BOXOFFICE_REDIS_URL, then the configuration
    /// file. The file's user and password file apply only to the file's own URL.
    /// - Throws: a `ValidationError` (exit 64) naming what is wrong, among them a configuration file that names a
    ///   password file, or whose URL would receive `--redis-password-file`'s password, while someone other than root
    ///   or the caller could have written it.
    private func connection() throws -> (urls: [RedisURL], keys: StoreKeys) {
        let environment = ProcessInfo.processInfo.environment
        let file = try CtlConfiguration.load(named: config, environment: environment)
        let fromFile = redis == nil && environment["BOXOFFICE_REDIS_URL"] == nil && file.redisURL != nil
        let text = redis ?? environment["BOXOFFICE_REDIS_URL"] ?? file.redisURL ?? "redis://127.0.0.1:6379/0"
        guard var urls = RedisURL.list(text) else {
            let source = fromFile ? "redis_url in the configuration file" : "--redis"
            throw ValidationError("\(source) must be redis://[user[:password]@]host[:port][/db][,host:port...]")
        }
        guard let keys = StoreKeys(prefix: prefix ?? file.prefix ?? "boxoffice") else {
            throw ValidationError("--prefix must be 1-32 of a-z 0-9 _ . -")
        }
        if fromFile, let user = file.redisUser {
            urls = urls.map { url in
                var named = url
                if named.username == nil { named.username = user }
                return named
            }
        }
        let passwordFile = redisPasswordFile ?? (fromFile ? file.redisPasswordFile : nil)
        if let path = file.path, let reason = file.untrusted,
            file.redisPasswordFile != nil || (fromFile && passwordFile != nil)
        {
            throw ValidationError(
                """
                refusing the configuration file \(path): it \(reason), so whoever can write it could send the Redis \
                password to a server of their own; it must belong to root or to you and be writable by its owner only
                """)
        }
        guard let passwordFile else { return (urls, keys) }
        guard FileManager.default.isReadableFile(atPath: passwordFile) else {
            let named = redisPasswordFile == nil ? " (redis_password_file in the configuration file)" : ""
            throw ValidationError(
                "cannot read the Redis password file \(passwordFile)\(named): not there, or not yours")
        }
        if urls.contains(where: { $0.password != nil }) {
            throw ValidationError("give the Redis password in the URL or in a password file, not both")
        }
        do {
            return (
                try urls.map { url throws(RedisURL.PasswordFileError) in try url.withPassword(fromFile: passwordFile) },
                keys
            )
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Runs `body` with a console on the configured Redis, closing the connection after it; a console error
    /// becomes a message on standard error and an exit code (69 when Redis is unreachable, else 1).
    func withConsole(_ body: (Console) async throws -> Void) async throws {
        let (urls, keys) = try resolved ?? connection()
        var logger = Logger(label: "boxofficectl.redis")
        logger.logLevel = .error
        let client = RedisClient(
            configuration: .init(urls: urls, connectTimeout: .seconds(2), commandTimeout: .seconds(5)), logger: logger)
        defer { client.close() }
        let gateway = TimeLimitedGateway(SimulatedGateway(redis: client, keyPrefix: keys.prefix))
        do {
            try await body(Console(redis: client, keys: keys, gateway: gateway, inUTC: utc))
        } catch let error as ConsoleError {
            FileHandle.standardError.write(Data("boxofficectl: \(error)\n".utf8))
            throw ExitCode(error.isUnavailable ? 69 : 1)  // EX_UNAVAILABLE
        }
    }

    /// Prints the report as a table or as JSON.
    func show(_ report: some ConsoleReport) {
        print(json ? report.json : report.text, terminator: "")
    }
}
