import ArgumentParser
import BoxOfficeClient
import Foundation

/// Identified kiosk connections that stay open and say nothing while the busy ones work, and what they cost the
/// daemon in memory: its resident set before they open, with them open, and after they close.
struct IdleConnections {
    /// How long to wait after closing them before reading the daemon's memory: it gives freed memory back every
    /// 30 s once enough connections have closed.
    static let settle = Duration.seconds(40)

    private let clients: [KioskClient]
    private let daemon: Int32?
    private let residentBefore: Int?
    private let residentWith: Int?

    /// Opens `count` connections, each identified as `kiosk`, a few hundred at a time.
    static func open(
        _ count: Int, host: String, port: Int, kiosk: String, secret: String, daemon: Int32?
    ) async throws -> IdleConnections {
        guard count > 0 else {
            return IdleConnections(clients: [], daemon: nil, residentBefore: nil, residentWith: nil)
        }
        let before = daemon.flatMap(residentKilobytes)
        print("opening \(count) idle kiosk connections ...")
        var clients: [KioskClient] = []
        for start in stride(from: 0, to: count, by: 200) {
            clients += try await withThrowingTaskGroup(of: KioskClient.self) { group in
                for _ in start..<min(start + 200, count) {
                    group.addTask {
                        try await identifiedKiosk(host: host, port: port, kiosk: kiosk, secret: secret)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .seconds(1))
        return IdleConnections(
            clients: clients, daemon: daemon, residentBefore: before,
            residentWith: daemon.flatMap(residentKilobytes))
    }

    /// Closes them, waits for the daemon to give memory back, and says what they cost; nil when there were none
    /// or the daemon's memory cannot be read.
    func close() async -> String? {
        guard !clients.isEmpty else { return nil }
        for client in clients { await client.close() }
        guard let daemon, let residentBefore, let residentWith else { return nil }
        print("closed the idle connections; waiting \(Self.settle) for the daemon to give memory back ...")
        try? await Task.sleep(for: Self.settle)
        let after = Self.residentKilobytes(of: daemon).map { "\($0 / 1024) MiB" } ?? "?"
        return String(
            format: "daemon memory: %d MiB before %d idle connections, %d MiB with them (%.1f KiB each), %@ after",
            residentBefore / 1024, clients.count, residentWith / 1024,
            Double(residentWith - residentBefore) / Double(clients.count), after)
    }

    /// A connection identified as `kiosk`. Hundreds connecting at once from one address are more than the daemon
    /// lets wait unidentified (`--max-unidentified-per-address`): a connection it closes before KIOSK is opened
    /// again, as a kiosk would.
    private static func identifiedKiosk(host: String, port: Int, kiosk: String, secret: String) async throws
        -> KioskClient
    {
        for _ in 0..<20 {
            do {
                let client = try await KioskClient.connect(host: host, port: port)
                let identified = try await client.send("KIOSK \(kiosk) \(secret)").final
                guard identified.hasPrefix("OK ") else { throw ValidationError("KIOSK refused: \(identified)") }
                return client
            } catch let error as ValidationError {
                throw error
            } catch {
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...100)))
            }
        }
        throw ValidationError("could not identify a kiosk connection in 20 tries")
    }

    /// The resident set of `pid`, in KiB (`VmRSS` of /proc/PID/status).
    private static func residentKilobytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
    }
}
