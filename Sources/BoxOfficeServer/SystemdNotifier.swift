import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Tells systemd how the daemon is doing, the way `sd_notify(3)` does, without libsystemd: one datagram of
/// `KEY=value` lines (`READY=1`, `STOPPING=1`, `WATCHDOG=1`, `STATUS=...`) to the unix socket named by
/// `$NOTIFY_SOCKET`, a path or an abstract name written with a leading `@`.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or not `Type=notify`) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// Why a notification could not be sent.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What failed, with the `errno` text.
        public let description: String
    }

    /// The socket to notify: a path, or an abstract name starting with `@`; nil when not run by systemd.
    public let socket: String?
    /// How often systemd wants `WATCHDOG=1`: half of `$WATCHDOG_USEC`; nil when it has no watchdog for us.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        self.socket = socket
        // WATCHDOG_PID, when set, names the process the watchdog is meant for (a child may inherit the variable).
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if socket != nil, forUs, let microseconds = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }),
            microseconds > 0
        {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// True when there is a socket to notify.
    public var isEnabled: Bool { socket != nil }

    /// Sends one notification, such as `READY=1` or `STOPPING=1\nSTATUS=draining`.
    ///
    /// The datagram is sent without blocking: a call never waits on systemd.
    /// - Throws: ``Failure`` when the socket name is unusable or the datagram cannot be sent.
    public func notify(_ state: String) throws(Failure) {
        guard let socket else { return }
        #if os(Linux)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var path = Array(socket.utf8)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            let abstract = path.first == UInt8(ascii: "@")
            if abstract { path[0] = 0 }
            // A path needs room for its terminating NUL (the address is zeroed); an abstract name does not have one.
            guard abstract || path.first == UInt8(ascii: "/"),
                path.count < capacity || (abstract && path.count == capacity)
            else { throw Failure(description: "NOTIFY_SOCKET is neither an absolute path nor an abstract @name") }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
            let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + path.count + (abstract ? 0 : 1)

            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            let message = Array(state.utf8)
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(
                        descriptor, message, message.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), socketAddress,
                        socklen_t(length))
                }
            }
            guard sent == message.count else {
                throw Failure(description: "sendto \(socket): \(String(cString: strerror(errno)))")
            }
        #endif
    }
}
