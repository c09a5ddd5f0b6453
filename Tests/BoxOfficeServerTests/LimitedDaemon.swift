import BoxOfficeClient
import BoxOfficeTesting
import Foundation
import RedisClient
import Testing

/// The built `boxofficed` as systemd runs it by default: under a limit of 1,024 open files (systemd's default soft
/// limit, which `SystemCallFilter=~@resources` keeps the daemon from raising), over a Redis of its own with the demo
/// theatre, or over a test's Redis Cluster. For the hostile-client and cluster tests, which must see the daemon as
/// it really runs.
final class LimitedDaemon: Sendable {
    /// The open-file limit the daemon runs under.
    static let descriptorLimit = 1024

    /// Its own Redis, when it was not given a cluster.
    let redis: RedisServerProcess?
    let port: Int
    let log: URL
    private let process: Process

    private init(redis: RedisServerProcess?, port: Int, log: URL, process: Process) {
        self.redis = redis
        self.port = port
        self.log = log
        self.process = process
    }

    /// The daemon's process id.
    var pid: Int32 { process.processIdentifier }

    /// Starts Redis (unless `cluster` is given) and the daemon (extra flags in `arguments`, extra environment in
    /// `environment`), and waits until the daemon greets. Its kiosks are the demo kiosk and those of `profiles` (file
    /// name to TOML text), with the limits a real kiosk has.
    static func start(
        arguments: [String] = [], profiles: [String: String] = [:], cluster: RedisClusterProcess? = nil,
        environment extra: [String: String] = [:]
    ) async throws -> LimitedDaemon {
        let binary = DaemonBinary.url
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let redis = cluster == nil ? try await RedisServerProcess() : nil
        let redisURL = cluster?.urlList ?? "redis://127.0.0.1:\(redis!.port)/0"
        let scratch =
            redis?.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("boxofficed-\(UUID().uuidString)")
        let port = try await freeLoopbackPort()
        let log = scratch.appendingPathComponent("boxofficed.log")
        let profileFolder = scratch.appendingPathComponent("kiosk-profiles")
        try FileManager.default.createDirectory(at: profileFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: DaemonBinary.repository.appendingPathComponent("kiosk-profiles/demo.toml"),
            to: profileFolder.appendingPathComponent("demo.toml"))
        for (name, text) in profiles {
            try text.write(to: profileFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments =
            ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", binary.path] + [
                "--listen", "127.0.0.1:\(port)", "--redis", redisURL, "--demo",
                "--profiles", profileFolder.path,
                "--log-level", "notice",
            ] + arguments
        process.standardError = try FileHandle(forWritingTo: log)
        var environment = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "CREDENTIALS_DIRECTORY"] {
            environment[name] = nil
        }
        process.environment = environment.merging(extra) { $1 }
        try process.run()
        let daemon = LimitedDaemon(redis: redis, port: port, log: log, process: process)
        for _ in 0..<200 {
            if let client = try? await KioskClient.connect(port: port) {
                await client.close()
                return daemon
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        daemon.stop()
        throw LimitedDaemonError(description: "boxofficed did not start: \(daemon.logText)")
    }

    /// What the daemon logged so far.
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Descriptors the daemon has open now.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    /// The daemon's resident memory now, in KiB (`VmRSS`).
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    }

    /// CPU seconds the daemon has used so far (user and system).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, in clock ticks).
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A connection identified as the demo kiosk.
    func kiosk() async throws -> KioskClient {
        let client = try await KioskClient.connect(port: port)
        let reply = try await client.send("KIOSK demo demo-secret-not-for-production")
        try #require(reply.isOK, "KIOSK → \(reply.final)")
        return client
    }

    /// The keys of the daemon's own Redis that match `pattern`.
    func redisKeys(matching pattern: String) async throws -> [String] {
        let client = RedisClient(configuration: .init(url: try #require(redis).url))
        defer { client.close() }
        return try await client.scan(matching: pattern)
    }

    /// Asks the daemon to stop (SIGTERM, by its PID) and waits up to `limit` for it to exit; returns its exit
    /// status, or nil if it was killed by a signal (a trap) or is still running.
    func terminate(within limit: Duration) async -> Int32? {
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard !process.isRunning, process.terminationReason == .exit else { return nil }
        return process.terminationStatus
    }

    /// Kills the daemon with SIGKILL, by its PID, and waits for it to be gone.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the daemon by its PID, then its own Redis.
    func stop() {
        kill()
        redis?.stop()
    }
}

/// The daemon under test did not come up.
struct LimitedDaemonError: Error, CustomStringConvertible {
    let description: String
}
