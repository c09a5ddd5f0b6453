import BoxOfficeClient
import BoxOfficeTesting
import Credentials
import Foundation
import RedisClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `boxofficed --demo` for one test, on a free port, over a database of the test Redis of its own (flushed
/// before and after), with the kiosk profiles the test gives; stopped by its PID. More daemons may join it on the
/// same database (``init(beside:)``), as several daemons on one Redis make one box office.
final class DemoDaemon: @unchecked Sendable {
    // @unchecked Sendable: every property is set in `init` and never changed; `process` is only told to stop.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let port: Int
    let redisURL: RedisURL
    let redis: RedisClient
    let profiles: URL
    /// The kiosk whose profile the daemon has, and its secret and profile's further lines.
    let kiosk: (id: String, secret: String, extraProfile: String)
    private let process: Process

    /// Starts the daemon on database `database` of the test Redis, flushed first, with one kiosk profile,
    /// `kiosk`/`secret`.
    convenience init(database: Int, kiosk: String, secret: String, extraProfile: String = "") async throws {
        var url = try #require(TestRedis.url, "run the tests with `make test` (BOXOFFICE_TEST_REDIS_URL)")
        url.database = database
        let redis = RedisClient(configuration: .init(url: url, connectTimeout: .milliseconds(500)))
        _ = try await redis.send(RedisCommand("FLUSHDB"))
        try await self.init(redisURL: url, redis: redis, kiosk: (kiosk, secret, extraProfile))
    }

    /// Starts another daemon on `other`'s database, on a port of its own, with `other`'s kiosk profile or, given
    /// `kiosk`, that kiosk's (`other`'s secret, `extraProfile`'s further lines); nothing is flushed.
    convenience init(beside other: DemoDaemon, kiosk: String? = nil, extraProfile: String = "") async throws {
        let redis = RedisClient(configuration: .init(url: other.redisURL, connectTimeout: .milliseconds(500)))
        try await self.init(
            redisURL: other.redisURL, redis: redis,
            kiosk: kiosk.map { (id: $0, secret: other.kiosk.secret, extraProfile: extraProfile) } ?? other.kiosk)
    }

    /// Writes the kiosk's profile, starts the daemon on `url` on a free port and waits until it serves.
    private init(
        redisURL url: RedisURL, redis: RedisClient, kiosk: (id: String, secret: String, extraProfile: String)
    ) async throws {
        redisURL = url
        self.redis = redis
        self.kiosk = kiosk
        profiles = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try """
        id = "\(kiosk.id)"
        secret_sha256 = "\(SecretDigest(of: kiosk.secret).hex)"
        \(kiosk.extraProfile)
        """.write(to: profiles.appendingPathComponent("\(kiosk.id).toml"), atomically: true, encoding: .utf8)
        let binary = Self.repository.appendingPathComponent(".build/debug/boxofficed")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        port = try await freeLoopbackPort()
        process = Process()
        process.executableURL = binary
        process.arguments = [
            "--listen", "127.0.0.1:\(port)", "--redis", url.description, "--profiles", profiles.path, "--demo",
            "--log-level", "critical",
        ]
        try process.run()
        for _ in 0..<200 {
            if let client = try? await KioskClient.connect(port: port) {
                await client.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        Issue.record("boxofficed did not start")
        throw CancellationError()
    }

    /// Kills the daemon at once (SIGKILL, by PID), as a crash or the loss of its host would: no `EVENT SHUTDOWN`,
    /// its connections simply end.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The figure `name` of the daemon's `STATS`, asked on a connection of its own as the kiosk of its profile.
    func figure(_ name: String) async throws -> Int? {
        let client = try await KioskClient.connect(port: port)
        let identified = try? await client.send("KIOSK \(kiosk.id) \(kiosk.secret)")
        let stats = identified?.isOK == true ? try? await client.send("STATS") : nil
        await client.close()
        let figures = try #require(stats, "STATS was not answered").data
        return figures.first { $0.hasPrefix("STAT \(name) ") }.flatMap { Int($0.split(separator: " ")[2]) }
    }

    /// Stops the daemon (SIGTERM, by PID) and removes its profiles.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: profiles)
    }

    /// Empties the test's database and closes the Redis connection.
    func cleanUp() async {
        stop()
        _ = try? await redis.send(RedisCommand("FLUSHDB"))
        redis.close()
    }
}

/// The real `boxoffice-kiosk` in a tmux session of its own (its own tmux server, on socket `socket`): keys go in
/// with `send-keys`, the screen comes out with `capture-pane`.
struct TmuxKiosk {
    let socket: String

    /// Starts the kiosk in a 100x30 pane against `daemons`, in that order, with `environment` (`NAME=value`, such as
    /// `TZ=America/New_York`) added to its own.
    init(
        _ name: String, daemons: [DemoDaemon], kiosk: String, secret: String, arguments: [String] = [],
        environment: [String] = []
    ) throws {
        socket = "boxoffice-\(name)-\(UInt32.random(in: .min ... .max))"
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).secret")
        try secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let binary = DemoDaemon.repository.appendingPathComponent(".build/debug/boxoffice-kiosk")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let command =
            // env: a crash report must not sit in the pane waiting for a key.
            ([
                // exec: the pane's process is the kiosk itself, so a test can signal it.
                "exec", "env", "SWIFT_BACKTRACE=interactive=no",
            ] + environment + [
                binary.path, "--connect",
                daemons.map { "127.0.0.1:\($0.port)" }.joined(separator: ","),
                "--kiosk", kiosk, "--secret-file", secretFile.path,
            ]
            + arguments).joined(separator: " ")

        // The tmux server forks from this call and would keep a pipe open: its output goes nowhere.
        try tmux("new-session", "-d", "-x", "100", "-y", "30", command, capture: false)
    }

    /// Runs `tmux -f /dev/null -L <socket> arguments...` and returns what it printed. It is spawned and reaped by hand
    /// (posix_spawn, waitpid): the tmux server forks from `new-session` and keeps inherited descriptors open,
    /// which Foundation's Process waits on forever here.
    @discardableResult
    func tmux(_ arguments: String..., capture: Bool = true) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).out")
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, capture ? output.path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // -f /dev/null: the tests' tmux reads no configuration of the machine's or the user's.
        let argv = (["tmux", "-f", "/dev/null", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test process blocks and ignores signals the kiosk must get (SIGHUP when its pane closes): tmux and
        // the kiosk start with an empty signal mask and default dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        guard capture else { return "" }
        defer { try? FileManager.default.removeItem(at: output) }
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// Presses keys by tmux's names (`Enter`, `Space`, `Right`, `Escape`, or a character).
    func press(_ keys: String...) throws {
        for key in keys { try tmux("send-keys", key) }
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux("send-keys", "-l", text)
    }

    /// What the pane shows now.
    func screen() throws -> String { try tmux("capture-pane", "-p") }

    /// Polls the pane until it shows `text`; returns the screen, or records an issue and throws ``ScreenTimeout``
    /// after `timeout`.
    @discardableResult
    func waitFor(
        _ text: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await waitUntil(text, timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Polls the pane until `condition` holds; returns the screen, or records an issue and throws ``ScreenTimeout``
    /// after `timeout`.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what); the screen:\n\(last)", sourceLocation: sourceLocation)
        throw ScreenTimeout(waitingFor: what)
    }

    /// Polls the pane until the welcome menu is up and the kiosk has identified with its daemon: the header says
    /// neither `Connecting...` nor `Reconnecting...`. The menu is drawn before the connection is made, and the name
    /// and password can be typed at once, but the form's last Enter needs the box office: before then the kiosk
    /// refuses it with "Connecting... please try again in a moment." and waits for another Enter.
    @discardableResult
    func waitForWelcome(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil("the welcome menu of a kiosk connected to its daemon", sourceLocation: sourceLocation) {
            screen in
            let header = screen.prefix { $0 != "\n" }
            return header.hasPrefix("BoxOffice - Welcome") && !header.contains("Connecting...")
                && !header.contains("Reconnecting...") && screen.contains("New customer")
        }
    }

    /// A value of tmux's about the kiosk's pane, such as `#{alternate_on}`.
    func pane(_ format: String) throws -> String {
        try tmux("display-message", "-p", format).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Ends this test's tmux server (and the kiosk in it).
    func kill() {
        _ = try? tmux("kill-server")
        try? FileManager.default.removeItem(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).secret"))
    }
}

/// Thrown by ``TmuxKiosk/waitUntil(_:timeout:sourceLocation:_:)`` after it recorded the timeout (with the
/// screen) as an issue: a test catches it only to reach its clean-up, and records any other error.
struct ScreenTimeout: Error {
    /// What the test waited for.
    let waitingFor: String
}
