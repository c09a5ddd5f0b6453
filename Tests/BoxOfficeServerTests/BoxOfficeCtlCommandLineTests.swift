import BoxOfficeCore
import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// The built `boxofficectl` as an operator types it: usage, options before the command, bad ids, Redis that is not
/// there or refuses the login, and the configuration file.
@Suite("boxofficectl: usage, common options, bad ids, Redis errors, the configuration file")
struct BoxOfficeCtlCommandLineTests {
    /// The tests' environment without a Redis URL, so that only the configuration file says where Redis is.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["BOXOFFICE_REDIS_URL"] = nil
        environment["BOXOFFICECTL_CONFIG"] = nil
        return environment.merging(extra) { $1 }
    }

    /// Writes `text` to a new temporary file, readable and writable by its owner only whatever the umask (a
    /// group-writable configuration file naming a password file is refused), and returns its path.
    static func temporaryFile(_ text: String, suffix: String = ".toml") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-\(UUID())\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    @Test("without a command it prints its usage on standard error and exits 64")
    func usage() throws {
        let bare = try BoxOfficeCtlProcessTests.run([])
        #expect(bare.status == 64 && bare.err.contains("USAGE: boxofficectl") && bare.err.contains("shows"))
        #expect(bare.out.isEmpty)
        let optionsOnly = try BoxOfficeCtlProcessTests.run(["--redis", "redis://127.0.0.1:1/0", "--json"])
        #expect(optionsOnly.status == 64 && optionsOnly.err.contains("USAGE: boxofficectl"))
        #expect(try BoxOfficeCtlProcessTests.run(["--help"]).status == 0)
    }

    @Test("the common options work before the command as after it, both as --name value and --name=value")
    func optionsBeforeTheCommand() async throws {
        try await Harness.run("ctl-global") { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let url = try #require(TestRedis.url)
            let redis = "redis://\(url.host):\(url.port)/\(url.database)"
            for arguments in [
                ["--redis", redis, "--prefix", harness.keys.prefix, "--json", "shows"],
                ["--redis=\(redis)", "shows", "--prefix=\(harness.keys.prefix)", "--json"],
                ["--json", "shows", "--redis", redis, "--prefix", harness.keys.prefix],
            ] {
                let run = try BoxOfficeCtlProcessTests.run(arguments)
                #expect(run.status == 0, "\(arguments): \(run.err)")
                let parsed = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
                #expect((parsed?["shows"] as? [Any])?.count == 2, "\(arguments)")
            }
            let unknown = try BoxOfficeCtlProcessTests.run(["--colour", "shows"])
            #expect(unknown.status == 64 && unknown.err.contains("--colour"))
        }
    }

    @Test(
        "a malformed booking or session id exits 64 and changes nothing",
        arguments: [
            ["cancel", "not-a-booking"], ["cancel", "1/BK"], ["cancel", "a/b/c"], ["release", "xyz"],
            ["release", "1/0123"], ["release", ""],
        ])
    func malformedIDs(_ arguments: [String]) async throws {
        try await Harness.run("ctl-bad-id") { harness in
            let (booking, session) = try await OperatorConsoleTests.knownState(harness)
            let url = try #require(TestRedis.url)
            let common = [
                "--redis", "redis://\(url.host):\(url.port)/\(url.database)", "--prefix", harness.keys.prefix,
            ]
            let run = try BoxOfficeCtlProcessTests.run(arguments + common)
            #expect(run.status == 64 && run.err.contains("is not a"), "\(run.err)")
            let show = ShowID("1")!
            #expect(try await harness.redisCommand("HGET", harness.keys.booking(show, booking), "state").string == nil)
            #expect(try await harness.redisCommand("HEXISTS", harness.keys.sold(show), "A1").integer == 1)
            #expect(
                try await harness.redisCommand("HGET", harness.keys.holdIndex(show), "B3").string?.hasPrefix(session)
                    == true)
        }
    }

    @Test("Redis that is not there: one sentence naming the address, exit 69")
    func unreachable() throws {
        let run = try BoxOfficeCtlProcessTests.run(
            ["shows", "--redis", "redis://127.0.0.1:1/0"], environment: Self.environment())
        #expect(run.status == 69)
        #expect(run.err == "boxofficectl: Redis at 127.0.0.1:1 is unreachable: connection refused\n", "\(run.err)")
        #expect(run.out.isEmpty)
    }

    @Test("a wrong password is a refused login, not an unreachable Redis; the right one in a config file works")
    func loginAndConfigurationFile() async throws {
        try await Harness.run("ctl-login") { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let url = try #require(TestRedis.url)
            let user = "ctl-\(UUID().uuidString.prefix(8).lowercased())"
            _ = try await harness.redisCommand("ACL", "SETUSER", user, "on", ">right-password", "~*", "&*", "+@all")
            let wrong = try Self.temporaryFile("wrong-password\n", suffix: ".password")
            let right = try Self.temporaryFile("right-password\n", suffix: ".password")
            defer { for file in [wrong, right] { try? FileManager.default.removeItem(atPath: file) } }
            let address = "redis://\(url.host):\(url.port)/\(url.database)"

            let refused = try BoxOfficeCtlProcessTests.run(
                [
                    "shows", "--redis", "redis://\(user)@\(url.host):\(url.port)/\(url.database)",
                    "--redis-password-file", wrong, "--prefix", harness.keys.prefix,
                ], environment: Self.environment())
            #expect(refused.status == 69)
            #expect(refused.err.contains("refused the login of user \(user)") && !refused.err.contains("unreachable"))

            let configuration = try Self.temporaryFile(
                """
                # boxofficectl's configuration, as make install writes it
                redis_url = "\(address)"
                redis_user = "\(user)"
                redis_password_file = "\(right)"
                prefix = "\(harness.keys.prefix)"

                """)
            defer { try? FileManager.default.removeItem(atPath: configuration) }
            let byEnvironment = try BoxOfficeCtlProcessTests.run(
                ["shows", "--json"], environment: Self.environment(["BOXOFFICECTL_CONFIG": configuration]))
            #expect(byEnvironment.status == 0, "\(byEnvironment.err)")
            let parsed = try JSONSerialization.jsonObject(with: Data(byEnvironment.out.utf8)) as? [String: Any]
            #expect((parsed?["shows"] as? [Any])?.count == 2)
            let byFlag = try BoxOfficeCtlProcessTests.run(
                ["--config", configuration, "stats"], environment: Self.environment())
            #expect(byFlag.status == 0 && byFlag.out.contains("bookings confirmed"), "\(byFlag.err)")
            _ = try await harness.redisCommand("ACL", "DELUSER", user)
        }
    }

    @Test(
        "a configuration file that is missing or wrong is named, with what is wrong, and exits 64",
        arguments: [
            ("redis_url = \"redis://127.0.0.1:6380/0\"\ncolour = \"blue\"\n", ":2: unknown key (known: redis_url,"),
            ("redis_url = 6380\n", ":1: redis_url must be a string"),
            ("redis_url = \"http://example.com\"\n", "redis_url in the configuration file must be redis://"),
            (
                "redis_url = \"redis://127.0.0.1:6380/0\"\nredis_password_file = \"/nonexistent/pw\"\n",
                "cannot read the Redis password file /nonexistent/pw"
            ),
            ("redis_url = [\n", ":1:13: not a valid TOML configuration file"),
        ])
    func badConfigurationFile(_ text: String, _ message: String) throws {
        let path = try Self.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try BoxOfficeCtlProcessTests.run(["shows", "--config", path], environment: Self.environment())
        #expect(run.status == 64 && run.err.contains(message), "\(run.err)")
        let missing = try BoxOfficeCtlProcessTests.run(
            ["shows"], environment: Self.environment(["BOXOFFICECTL_CONFIG": path + ".missing"]))
        #expect(missing.status == 64 && missing.err.contains("no such file"), "\(missing.err)")
    }

    @Test(
        "a file that is not TOML is reported by position only, never quoting its text",
        arguments: [
            "hunter2-secret-password\n", "\"hunter2-secret-password\"\n", "hunter2-secret-password = [\n",
            "[hunter2-secret-password]\nkey = 1\n", "hunter2-secret-password = 1\n",
        ])
    func configurationErrorsQuoteNothing(_ text: String) throws {
        let path = try Self.temporaryFile(text, suffix: ".password")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try BoxOfficeCtlProcessTests.run(["--config", path, "shows"], environment: Self.environment())
        #expect(run.status == 64 && run.err.contains("\(path):"), "\(run.err)")
        #expect(!run.err.contains("hunter2"), "\(run.err)")
        #expect(run.out.isEmpty)
    }

    /// A configuration file with `mode`, saying where Redis is and, when `passwordFile` is set, where its password is.
    static func configurationFile(mode: mode_t, passwordFile: String?) throws -> String {
        var text = "redis_url = \"redis://127.0.0.1:1/0\"\n"
        if let passwordFile { text += "redis_password_file = \"\(passwordFile)\"\n" }
        let path = try temporaryFile(text)
        #expect(chmod(path, mode) == 0)
        return path
    }

    @Test(
        "a configuration file naming a password file is refused (64) when group- or world-writable",
        arguments: [0o666, 0o664, 0o646, 0o620] as [mode_t])
    func writableConfigurationFileIsRefused(_ mode: mode_t) throws {
        let password = try Self.temporaryFile("secret\n", suffix: ".password")
        let path = try Self.configurationFile(mode: mode, passwordFile: password)
        defer { for file in [path, password] { try? FileManager.default.removeItem(atPath: file) } }
        for run in [
            try BoxOfficeCtlProcessTests.run(["shows", "--config", path], environment: Self.environment()),
            try BoxOfficeCtlProcessTests.run(
                ["shows"], environment: Self.environment(["BOXOFFICECTL_CONFIG": path])),
        ] {
            #expect(run.status == 64, "\(run.err)")
            #expect(
                run.err.contains("refusing the configuration file \(path): it is group- or world-writable (mode 0"),
                "\(run.err)")
            #expect(!run.err.contains("unreachable"))
        }
    }

    @Test("a writable configuration file's redis_url does not receive --redis-password-file's password either")
    func writableConfigurationFileGetsNoPassword() throws {
        let password = try Self.temporaryFile("secret\n", suffix: ".password")
        let path = try Self.configurationFile(mode: 0o666, passwordFile: nil)
        defer { for file in [path, password] { try? FileManager.default.removeItem(atPath: file) } }
        let refused = try BoxOfficeCtlProcessTests.run(
            ["shows", "--config", path, "--redis-password-file", password], environment: Self.environment())
        #expect(refused.status == 64 && refused.err.contains("refusing the configuration file"), "\(refused.err)")
        // Without a password to give away, such a file is still read: its Redis (none there) is tried.
        let accepted = try BoxOfficeCtlProcessTests.run(["shows", "--config", path], environment: Self.environment())
        #expect(accepted.status == 69 && accepted.err.contains("127.0.0.1:1 is unreachable"), "\(accepted.err)")
        // So is a password file with a URL given on the command line, which the file's settings do not reach.
        let ownURL = try BoxOfficeCtlProcessTests.run(
            ["shows", "--config", path, "--redis", "redis://127.0.0.1:2/0", "--redis-password-file", password],
            environment: Self.environment())
        #expect(ownURL.status == 69 && ownURL.err.contains("127.0.0.1:2 is unreachable"), "\(ownURL.err)")
    }

    @Test("a configuration file writable by its owner only, the caller, is accepted with its password file")
    func privateConfigurationFileIsAccepted() throws {
        let password = try Self.temporaryFile("secret\n", suffix: ".password")
        let path = try Self.configurationFile(mode: 0o600, passwordFile: password)
        defer { for file in [path, password] { try? FileManager.default.removeItem(atPath: file) } }
        let run = try BoxOfficeCtlProcessTests.run(["shows", "--config", path], environment: Self.environment())
        #expect(run.status == 69 && run.err.contains("127.0.0.1:1 is unreachable"), "\(run.err)")
    }

    @Test(
        "as root, a configuration file that belongs to another user is refused when it names a password file",
        .enabled(if: getuid() == 0, "needs root to give the file away"))
    func someoneElsesConfigurationFileIsRefused() throws {
        let password = try Self.temporaryFile("secret\n", suffix: ".password")
        let path = try Self.configurationFile(mode: 0o644, passwordFile: password)
        defer { for file in [path, password] { try? FileManager.default.removeItem(atPath: file) } }
        #expect(chown(path, 65534, 65534) == 0)
        let run = try BoxOfficeCtlProcessTests.run(["shows", "--config", path], environment: Self.environment())
        #expect(run.status == 64, "\(run.err)")
        #expect(run.err.contains("it belongs to uid 65534, neither root nor you"), "\(run.err)")
    }

    @Test("the configuration file is read once: a FIFO that can be read once is enough for a command that connects")
    func configurationReadOnce() async throws {
        try await Harness.run("ctl-once") { harness in
            _ = try await OperatorConsoleTests.knownState(harness)
            let url = try #require(TestRedis.url)
            let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-\(UUID()).toml").path
            try #require(mkfifo(fifo, 0o600) == 0)
            defer { try? FileManager.default.removeItem(atPath: fifo) }
            let text = """
                redis_url = "redis://\(url.host):\(url.port)/\(url.database)"
                prefix = "\(harness.keys.prefix)"

                """
            let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let process = Process()
            process.executableURL = folder.appendingPathComponent("boxofficectl")
            process.arguments = ["shows", "--json", "--config", fifo]
            process.environment = Self.environment()
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The one writer: waits for the reader, writes the file, and goes; a second read would wait forever.
            let deadline = ContinuousClock.now + .seconds(30)
            var writer: Int32 = -1
            while writer < 0 && ContinuousClock.now < deadline && process.isRunning {
                writer = open(fifo, O_WRONLY | O_NONBLOCK)
                if writer < 0 { try await Task.sleep(for: .milliseconds(5)) }
            }
            try #require(writer >= 0, "boxofficectl never opened the configuration file")
            let bytes = Array(text.utf8)
            #expect(write(writer, bytes, bytes.count) == bytes.count)
            close(writer)
            while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "read more than once?")
            let parsed = try JSONSerialization.jsonObject(with: out.fileHandleForReading.readDataToEndOfFile())
            #expect(((parsed as? [String: Any])?["shows"] as? [Any])?.count == 2)
        }
    }
}
