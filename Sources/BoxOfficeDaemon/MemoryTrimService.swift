import BoxOfficeServer
import CMallocTrim
import Logging
import NIOPosix
import ServiceLifecycle

/// Gives memory back to the system once many connections have closed.
///
/// glibc keeps what a program frees for its next allocations and returns it only when asked: after 10,000 kiosk
/// connections had come and gone, the daemon still held the 200 MiB they had used. Every 30 s, when ``threshold``
/// or more connections have closed since the last trim, `malloc_trim` returns the free pages of every arena, on
/// NIO's thread pool (it holds each arena's lock while it walks it: not a call for the concurrency pool's threads).
struct MemoryTrimService: Service {
    /// Closed connections worth a trim.
    static let threshold = 500
    /// How often the count of closed connections is looked at.
    static let interval = Duration.seconds(30)

    let statistics: Statistics
    let logger: Logger

    func run() async throws {
        var closedAtLastTrim = statistics.closedConnections
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            let closed = statistics.closedConnections
            guard !Task.isShuttingDownGracefully, closed - closedAtLastTrim >= Self.threshold else { continue }
            let returned = (try? await NIOThreadPool.singleton.runIfActive { malloc_trim(0) == 1 }) ?? false
            logger.info(
                "connections closed: free memory given back to the system",
                metadata: ["closed": "\(closed - closedAtLastTrim)", "returned": "\(returned)"])
            closedAtLastTrim = closed
        }
    }
}
