import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's side of `sd_notify` for tests: a unix datagram socket bound to a path or to an abstract name
/// (`@name`), read without blocking.
///
/// `@unchecked Sendable`: the descriptor is set once in `init` and closed in `deinit`; reads are datagram-atomic.
final class NotifySocket: @unchecked Sendable {
    /// The value for `NOTIFY_SOCKET`.
    let name: String
    private let descriptor: Int32

    /// Binds a socket under `directory`, or an abstract one when `directory` is nil.
    init(in directory: URL?) throws {
        let name =
            directory.map { $0.appendingPathComponent("notify.sock").path }
            ?? "@boxoffice-test-notify-\(UInt32.random(in: .min ... .max))"
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(name.utf8)
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + path.count + (abstract ? 0 : 1)
        let descriptor = socket(
            AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        self.name = name
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The next datagram, or nil if none arrives within `timeout`.
    func receive(within timeout: Duration) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        repeat {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count >= 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(10))
        } while clock.now < deadline
        return nil
    }

    /// Datagrams until one contains `line` (as a whole line); nil if none does within `timeout`.
    func waitFor(_ line: String, within timeout: Duration) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            guard let message = await receive(within: deadline - clock.now) else { return nil }
            if message.split(separator: "\n").contains(Substring(line)) { return message }
        }
        return nil
    }
}
