import BoxOfficeServer
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("systemd notifications over a real unix datagram socket", .timeLimit(.minutes(1)))
struct SystemdNotifierTests {
    private static func scratchDirectory() throws -> URL {
        // Short: a socket path must fit in sockaddr_un's 108 bytes.
        let directory = URL(fileURLWithPath: "/tmp/bo-\(UInt32.random(in: .min ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(
        "Sends each notification as one datagram, to a socket path and to an abstract @name", arguments: [true, false])
    func sendsDatagrams(abstract: Bool) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = try NotifySocket(in: abstract ? nil : directory)
        #expect(socket.name.hasPrefix("@") == abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        #expect(notifier.isEnabled)
        try notifier.notify("READY=1\nSTATUS=serving kiosks")
        try notifier.notify("STOPPING=1")
        #expect(await socket.receive(within: .seconds(2)) == "READY=1\nSTATUS=serving kiosks")
        #expect(await socket.receive(within: .seconds(2)) == "STOPPING=1")
    }

    @Test("Without NOTIFY_SOCKET it is off and does nothing")
    func offWithoutSocket() throws {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogInterval == nil)
        try notifier.notify("READY=1")
    }

    @Test("The watchdog interval is half of WATCHDOG_USEC, and only for the process WATCHDOG_PID names")
    func watchdogInterval() {
        let socket = "/run/systemd/notify"
        #expect(
            SystemdNotifier(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "30000000"]).watchdogInterval
                == .seconds(15))
        let pid = String(ProcessInfo.processInfo.processIdentifier)
        #expect(
            SystemdNotifier(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": pid])
                .watchdogInterval == .seconds(1))
        #expect(
            SystemdNotifier(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"])
                .watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": socket]).watchdogInterval == nil)
    }

    @Test("A socket name that is neither an absolute path nor @abstract, or no one listening, is an error")
    func badSocket() {
        #expect(throws: SystemdNotifier.Failure.self) {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/notify.sock"]).notify("READY=1")
        }
        #expect(throws: SystemdNotifier.Failure.self) {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/boxoffice/notify"]).notify("READY=1")
        }
    }

    @Test("The service says READY=1 once Redis answers, pings the watchdog, and says STOPPING=1 on shutdown")
    func serviceLifecycle() async throws {
        let socket = try NotifySocket(in: nil)
        let checks = Atomic<Int>(0)
        var logger = Logger(label: "test.systemd")
        logger.logLevel = .critical
        let service = SystemdNotifierService(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "200000"]),
            status: "serving kiosks on test",
            redisCheck: {
                // Redis "comes up" on the third check.
                if checks.add(1, ordering: .relaxed).newValue < 3 { throw CancellationError() }
            },
            retryInterval: .milliseconds(20), logger: logger)
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await socket.receive(within: .seconds(2)) == "STATUS=waiting for Redis")
            #expect(await socket.receive(within: .seconds(2)) == "READY=1\nSTATUS=serving kiosks on test")
            #expect(checks.load(ordering: .relaxed) == 3)
            #expect(await socket.receive(within: .seconds(2)) == "WATCHDOG=1")
            #expect(await socket.receive(within: .seconds(2)) == "WATCHDOG=1")
            await group.triggerGracefulShutdown()
            #expect(await socket.waitFor("STOPPING=1", within: .seconds(2)) != nil)
            try await tasks.waitForAll()
        }
    }

    @Test("When Redis refuses our credentials the service fails instead of waiting for ever")
    func permanentFailure() async throws {
        struct Refused: Error {}
        let socket = try NotifySocket(in: nil)
        var logger = Logger(label: "test.systemd")
        logger.logLevel = .critical
        let service = SystemdNotifierService(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name]), status: "-",
            redisCheck: { throw Refused() }, isPermanentFailure: { $0 is Refused }, logger: logger)
        await #expect(throws: Refused.self) { try await service.run() }
        #expect(await socket.receive(within: .seconds(1))?.hasPrefix("STATUS=Redis refuses us") == true)
    }
}
