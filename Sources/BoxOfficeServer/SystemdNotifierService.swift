import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Keeps systemd informed through a ``SystemdNotifier``: `READY=1` once the daemon serves (its listener is bound
/// before the service group starts, and Redis answers), `WATCHDOG=1` at the interval systemd asks for while the
/// event loops still run tasks, and `STOPPING=1` as soon as a graceful shutdown begins.
///
/// Put it last in the service group: graceful shutdown reaches services in reverse order, so systemd hears
/// `STOPPING=1` before the server starts to drain. Without `NOTIFY_SOCKET` it only waits for the shutdown.
public struct SystemdNotifierService: Service {
    private let notifier: SystemdNotifier
    private let status: String
    private let redisCheck: @Sendable () async throws -> Void
    private let isPermanentFailure: @Sendable (any Error) -> Bool
    private let eventLoops: any EventLoopGroup
    private let retryInterval: Duration
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - status: the `STATUS=` text sent with `READY=1`, such as `serving kiosks on 127.0.0.1:7420`.
    ///   - redisCheck: one round trip to Redis; readiness waits until it succeeds.
    ///   - isPermanentFailure: true for a check failure that waiting will not cure (Redis refused our
    ///     credentials); the service then throws, and the daemon exits for systemd to restart it.
    ///   - eventLoops: the loops the watchdog proves alive before each `WATCHDOG=1`.
    ///   - retryInterval: how long to wait between Redis checks.
    public init(
        notifier: SystemdNotifier = SystemdNotifier(), status: String,
        redisCheck: @escaping @Sendable () async throws -> Void,
        isPermanentFailure: @escaping @Sendable (any Error) -> Bool = { _ in false },
        eventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, retryInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.notifier = notifier
        self.status = status
        self.redisCheck = redisCheck
        self.isPermanentFailure = isPermanentFailure
        self.eventLoops = eventLoops
        self.retryInterval = retryInterval
        self.logger = logger
    }

    public func run() async throws {
        guard notifier.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        if try await waitForRedis() {
            send("READY=1\nSTATUS=\(status)")
            logger.info(
                "told systemd we are ready",
                metadata: ["watchdog": "\(notifier.watchdogInterval.map { "\($0)" } ?? "off")"])
            if let interval = notifier.watchdogInterval {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
                    // A stuck event loop never runs the empty task: systemd then sees no ping and restarts us.
                    for loop in eventLoops.makeIterator() { _ = try? await loop.submit {}.get() }
                    send("WATCHDOG=1")
                }
            } else {
                try? await gracefulShutdown()
            }
        }
        if Task.isShuttingDownGracefully { send("STOPPING=1\nSTATUS=finishing the requests in hand") }
    }

    /// Checks Redis until it answers.
    /// - Returns: true once it answered; false when shutdown began first.
    /// - Throws: the check's error when it is permanent.
    private func waitForRedis() async throws -> Bool {
        var attempts = 0
        while !Task.isShuttingDownGracefully {
            try Task.checkCancellation()
            do {
                try await redisCheck()
                return true
            } catch  where isPermanentFailure(error) {
                logger.critical("Redis refuses us; not ready", metadata: ["error": "\(error)"])
                send("STATUS=Redis refuses us: \(error)")
                throw error
            } catch {
                if attempts % 10 == 0 {
                    logger.warning(
                        "waiting for Redis before telling systemd we are ready", metadata: ["error": "\(error)"])
                    send("STATUS=waiting for Redis")
                }
                attempts += 1
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retryInterval) }
        }
        return false
    }

    private func send(_ state: String) {
        do {
            try notifier.notify(state)
        } catch {
            logger.warning("cannot notify systemd", metadata: ["error": "\(error)"])
        }
    }
}
