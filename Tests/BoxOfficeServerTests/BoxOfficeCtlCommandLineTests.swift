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

    /// Writes `text` to a new temporary file and returns its path.
    static func temporaryFile(_ text: String, suffix: String = ".toml") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-\(UUID())\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
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
            ("redis_url = \"redis://127.0.0.1:6380/0\"\ncolour = \"blue\"\n", "unknown key colour"),
            ("redis_url = 6380\n", "redis_url must be a string"),
            ("redis_url = \"http://example.com\"\n", "redis_url in the configuration file must be redis://"),
            (
                "redis_url = \"redis://127.0.0.1:6380/0\"\nredis_password_file = \"/nonexistent/pw\"\n",
                "cannot read the Redis password file /nonexistent/pw"
            ),
            ("redis_url = [\n", ":1:"),
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
}
