import Foundation

/// CPU time used by the processes a benchmark phase involves, read from /proc, and the machine's load, so that a
/// reader can tell a limit of the daemon from a limit of the machine.
struct ProcessCPU {
    /// A process to watch: what it is, and its PID (nil when it could not be found).
    struct Watched {
        let name: String
        let pid: Int32?
    }

    /// CPU seconds each watched process used between ``start()`` and ``stop()``, and the load average then.
    struct Phase {
        let seconds: [(name: String, seconds: Double?)]
        let loadBefore: String
        let loadAfter: String

        /// `daemon 12.3 s, Redis 4.5 s, bench 6.7 s; load 1.20 → 3.40`
        var text: String {
            seconds.map { "\($0.name) " + ($0.seconds.map { String(format: "%.1f s", $0) } ?? "?") }
                .joined(separator: ", ") + "; load average \(loadBefore) → \(loadAfter)"
        }

        /// The CPU seconds of the process named `name`.
        func seconds(of name: String) -> Double? { seconds.first { $0.name == name }?.seconds ?? nil }
    }

    let watched: [Watched]
    private var ticksAtStart: [Int?] = []
    private var loadAtStart = ""

    init(_ watched: [Watched]) {
        self.watched = watched
    }

    mutating func start() {
        ticksAtStart = watched.map { $0.pid.flatMap(Self.ticks) }
        loadAtStart = Self.loadAverage()
    }

    func stop() -> Phase {
        let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let seconds = zip(watched, ticksAtStart).map { watched, before in
            (
                name: watched.name,
                seconds: before.flatMap { before in
                    watched.pid.flatMap(Self.ticks).map { Double($0 - before) / perSecond }
                }
            )
        }
        return Phase(seconds: seconds, loadBefore: loadAtStart, loadAfter: Self.loadAverage())
    }

    /// User and system CPU of `pid` so far, in clock ticks.
    private static func ticks(of pid: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ", options: .backwards)
        else { return nil }
        let fields = stat[afterName.upperBound...].split(separator: " ")
        // Fields from the state on: utime and stime are the 14th and 15th of the whole line, 12th and 13th here.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// The 1-minute load average.
    private static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init)
            ?? "?"
    }

    /// The PID of the process listening on TCP `port` of this machine, found through /proc/net/tcp and every
    /// process's open sockets; nil when none is found (or it belongs to another user).
    static func pid(listeningOn port: Int) -> Int32? {
        let hexPort = String(format: ":%04X", port)
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // local address, remote address, state (0A: LISTEN), ..., inode (the 10th field)
                guard fields.count > 9, fields[1].hasSuffix(hexPort), fields[3] == "0A" else { continue }
                inodes.insert("socket:[\(fields[9])]")
            }
        }
        guard !inodes.isEmpty, let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return nil
        }
        for process in processes {
            guard let pid = Int32(process),
                let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
            else { continue }
            for descriptor in descriptors {
                if let target = try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "/proc/\(pid)/fd/\(descriptor)"), inodes.contains(target)
                {
                    return pid
                }
            }
        }
        return nil
    }
}
