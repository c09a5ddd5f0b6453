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
        discussion: "Tables for people by default; --json prints one JSON document for scripts.",
        subcommands: [
            Load.self, Shows.self, Seats.self, Sessions.self, Release.self, Bookings.self, Cancel.self, Users.self,
            Stats.self, Audit.self,
        ])
}

/// The flags every subcommand takes: where Redis is, how to log in, the key prefix, and the output form.
struct Options: ParsableArguments {
    @Option(
        help: """
            The Redis server, or a cluster's seeds: redis://[user[:password]@]host[:port][/db][,host:port...]; \
            $BOXOFFICE_REDIS_URL if set.
            """)
    var redis = ProcessInfo.processInfo.environment["BOXOFFICE_REDIS_URL"] ?? "redis://127.0.0.1:6379/0"

    @Option(
        help: ArgumentHelp(
            "Read the Redis password from this file's first line, so it is not on the command line.",
            valueName: "path"))
    var redisPasswordFile: String?

    @Option(help: "The key prefix BoxOffice runs under.")
    var prefix = "boxoffice"

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func validate() throws {
        guard let urls = RedisURL.list(redis) else {
            throw ValidationError("--redis must be redis://[user[:password]@]host[:port][/db][,host:port...]")
        }
        guard StoreKeys(prefix: prefix) != nil else { throw ValidationError("--prefix must be 1-32 of a-z 0-9 _ . -") }
        if let file = redisPasswordFile {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("cannot read --redis-password-file \(file)")
            }
            if urls.contains(where: { $0.password != nil }) {
                throw ValidationError("give the Redis password in --redis or in --redis-password-file, not both")
            }
        }
    }

    /// The Redis URLs (a server, or a cluster's seeds) with the password from the file's first line, when a file is
    /// given (as the daemon reads it).
    func redisURLs() throws -> [RedisURL] {
        guard let urls = RedisURL.list(redis) else { throw ValidationError("--redis is not a Redis URL") }
        guard let file = redisPasswordFile else { return urls }
        do {
            return try urls.map { url throws(RedisURL.PasswordFileError) in try url.withPassword(fromFile: file) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Runs `body` with a console on the configured Redis, closing the connection after it; a console error
    /// becomes a message on standard error and an exit code (69 when Redis is unreachable, else 1).
    func withConsole(_ body: (Console) async throws -> Void) async throws {
        let urls = try redisURLs()
        let keys = StoreKeys(prefix: prefix)!
        var logger = Logger(label: "boxofficectl.redis")
        logger.logLevel = .error
        let client = RedisClient(
            configuration: .init(urls: urls, connectTimeout: .seconds(2), commandTimeout: .seconds(5)), logger: logger)
        defer { client.close() }
        let gateway = TimeLimitedGateway(SimulatedGateway(redis: client, keyPrefix: keys.prefix))
        do {
            try await body(Console(redis: client, keys: keys, gateway: gateway))
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
