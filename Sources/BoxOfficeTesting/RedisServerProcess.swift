import Foundation
import NIOCore
import NIOPosix
import RedisClient

/// A redis-server of a test's own, for tests that kill, freeze or restart Redis. It runs on a free loopback
/// port with its own data folder and append-only file, and is stopped by its PID.
public final class RedisServerProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is replaced only by start/restart, which a test calls from one task.

    /// The port it listens on (kept across restarts).
    public let port: Int
    /// Its data folder.
    public let directory: URL
    private let configFile: URL?
    private let extraArguments: [String]
    private var process: Process?

    /// The URL to reach it.
    public var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    /// Starts a server and waits until it answers.
    /// - Parameters:
    ///   - configFile: a redis.conf to start from; the port, data folder and persistence settings of the test
    ///     server override its own.
    ///   - arguments: more `--name value` settings, after all others (an `--aclfile`, say).
    public init(configFile: URL? = nil, arguments: [String] = []) async throws {
        self.configFile = configFile
        self.extraArguments = arguments
        port = try await freeLoopbackPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boxoffice-test-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await start()
    }

    /// Starts the server again on the same port and data folder, after ``kill(_:)``.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments =
            (configFile.map { [$0.path] } ?? []) + [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--dir", directory.path, "--logfile", "redis.log",
            ] + extraArguments
        process.currentDirectoryURL = directory
        try process.run()
        self.process = process
        let client = RedisClient(configuration: .init(url: url, connectTimeout: .milliseconds(200)))
        defer { client.close() }
        for _ in 0..<100 {
            do {
                _ = try await client.send(RedisCommand("PING"))
                return
            } catch  where error.isSetupRejected {
                return  // it answers, but wants a login (the default user is off)
            } catch {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw RedisError.connectFailed("test redis-server on port \(port) did not start")
    }

    /// The server's process id.
    public var pid: Int32? { process?.processIdentifier }

    /// Sends `signal` (SIGKILL, SIGSTOP, SIGCONT, SIGTERM) to the server.
    public func send(_ signal: Int32) {
        if let pid { Foundation.kill(pid, signal) }
    }

    /// Kills the server with SIGKILL and waits for it to be gone.
    public func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server and removes its data folder.
    public func stop() {
        if let process {
            Foundation.kill(process.processIdentifier, SIGCONT)
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago, chosen at random below Linux's default ephemeral range
/// (32768 up): a port the kernel hands out itself is soon handed to the next process that asks, and another test
/// run's server could bind it before ours does.
public func freeLoopbackPort() async throws -> Int {
    for _ in 0..<100 {
        let port = Int.random(in: 10000...32767)
        guard
            let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
        else { continue }
        try await channel.close()
        return port
    }
    throw RedisError.connectFailed("no free loopback port")
}
