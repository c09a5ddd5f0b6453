import BoxOfficeClient
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Watchers that stop reading while the seats they watch keep changing. What piles up for them is bounded (the
/// socket's buffers, then NIO's writability, then the connection's backlog of seat events, which folds into each
/// seat's latest state past 1,000 lines; SeatEventBacklogTests covers the folding itself): the daemon's memory
/// stays bounded, the kiosks that sell keep their speed, and a watcher that reads at last learns every seat's last
/// state.
@Suite("Hostile clients: watchers that never read", .serialized, .timeLimit(.minutes(3)))
struct SilentWatcherTests {
    @Test("20 watchers that never read while 5 s of holds churn: memory bounded, kiosks quick, last states right")
    func silentWatchers() async throws {
        let daemon = try await LimitedDaemon.start()
        defer { daemon.stop() }
        let watchers = try await (0..<20).asyncMap { _ in try await SilentWatcher.open(to: daemon.port, show: "1") }
        let before = daemon.residentKiB
        let probe = try await KioskProbe.start(daemon)

        let churner = try await daemon.kiosk()
        for line in ["REGISTER churner password123", "LOGIN churner password123", "START 1"] {
            try #require(try await churner.send(line).isOK, "\(line)")
        }
        let rows = ["A", "B", "C", "D", "E"]
        let deadline = ContinuousClock.now + .seconds(5)
        var changes = 0
        while ContinuousClock.now < deadline {
            let row = rows[changes / 2 % rows.count]
            let seats = (1...8).map { "\(row)\($0)" }.joined(separator: " ")
            try #require(try await churner.send("HOLD \(seats)").isOK)
            try #require(try await churner.send("RELEASE \(seats)").isOK)
            changes += 2
            if changes % 60 == 0 {  // a session makes at most 64 changes
                try #require(try await churner.send("CLOSE").isOK)
                try #require(try await churner.send("START 1").isOK)
            }
        }
        // The last change: row A held, every other row free.
        try #require(try await churner.send("HOLD A1 A2").isOK)
        let report = try await probe.stop()
        let grown = daemon.residentKiB - before
        print("silent watchers: \(changes) changes, daemon grew \(grown) KiB, kiosk slowest \(report.slowest)")
        #expect(report.failures.isEmpty, "\(report.failures.prefix(5))")
        #expect(report.slowest < HostileClientTests.latencyBound, "slowest kiosk request \(report.slowest)")
        #expect(grown < 48 * 1024, "20 silent watchers cost the daemon \(grown) KiB")

        // One watcher reads at last: the last state it hears of each seat is the seat's state now.
        let heard = try await watchers[0].readUntilQuiet(for: .seconds(2))
        print("silent watchers: the one that read at last heard \(heard.count) lines, \(watchers[0].bytesRead) bytes")
        var last: [String: String] = [:]
        for line in heard where line.hasPrefix("EVENT SEATS 1 ") {
            for change in line.split(separator: " ").dropFirst(3) {
                let parts = change.split(separator: "=")
                if parts.count == 2 { last[String(parts[0])] = String(parts[1]) }
            }
        }
        #expect(last["A1"] == "TEMPORARILY_UNAVAILABLE" && last["A2"] == "TEMPORARILY_UNAVAILABLE", "\(last)")
        for seat in ["A3", "B1", "C8", "E4"] {
            #expect(last[seat] == "AVAILABLE", "\(seat): \(last[seat] ?? "never heard")")
        }
        for watcher in watchers { await watcher.close() }
    }
}

extension Sequence {
    /// The elements mapped one after another by an async throwing transform.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var mapped: [T] = []
        for element in self { mapped.append(try await transform(element)) }
        return mapped
    }
}

/// A connection that identifies as the demo kiosk, watches a show and then reads nothing (the channel's automatic
/// reads are off) until asked to.
final class SilentWatcher: Sendable {
    private let channel: any Channel
    private let lines: LineCollector

    private init(channel: any Channel, lines: LineCollector) {
        self.channel = channel
        self.lines = lines
    }

    static func open(to port: Int, show: String) async throws -> SilentWatcher {
        let lines = LineCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(lines)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let requests = "KIOSK demo demo-secret-not-for-production\nWATCH \(show)\n"
        try await channel.writeAndFlush(ByteBuffer(string: requests))
        return SilentWatcher(channel: channel, lines: lines)
    }

    /// Starts reading, and returns every line read until nothing more came for `quiet`.
    func readUntilQuiet(for quiet: Duration) async throws -> [String] {
        try await channel.setOption(.autoRead, value: true).get()
        channel.read()
        var count = -1
        while lines.count != count {
            count = lines.count
            try await Task.sleep(for: quiet)
        }
        return lines.all
    }

    /// Bytes read so far.
    var bytesRead: Int { lines.count }

    func close() async {
        try? await channel.close()
    }

    /// Keeps the bytes read, and cuts them into lines.
    final class LineCollector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let received = Mutex<String>("")

        var count: Int { received.withLock { $0.utf8.count } }
        var all: [String] { received.withLock { $0.split(separator: "\n").map(String.init) } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = String(buffer: unwrapInboundIn(data))
            received.withLock { $0 += text }
        }
    }
}
