import Glibc

/// A receipt printer: a device such as `/dev/usb/lp0`, or a file, that ESC/POS bytes are written to.
///
/// ``print(_:)`` blocks until the bytes are written or ``timeoutSeconds`` have passed: call it on a thread of its
/// own, never on the cooperative pool or an event loop.
public struct ReceiptPrinter: Sendable {
    /// The device's or file's path.
    public let path: String
    /// Seconds a printer that takes no bytes (offline, out of paper, its buffer full) is waited for.
    public var timeoutSeconds: Double

    /// A printer at `path`; nothing is opened until a receipt is printed.
    public init(path: String, timeoutSeconds: Double = 10) {
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }

    /// Writes `receipt` as ESC/POS bytes: opened for each receipt (a printer unplugged and plugged in again is
    /// found again), appended to (a file collects receipts), never created (a path that is not there is a printer
    /// that is not there).
    /// - Throws: ``ReceiptPrinterError`` when the path cannot be opened or the bytes cannot all be written in time.
    public func print(_ receipt: Receipt) throws(ReceiptPrinterError) {
        try write(receipt.escPOS)
    }

    /// Writes `bytes`; see ``print(_:)``.
    public func write(_ bytes: [UInt8]) throws(ReceiptPrinterError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReceiptPrinterError(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        var written = 0
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, bytes.count - written)
            }
            if count > 0 {
                written += count
                continue
            }
            let error = count < 0 ? errno : EAGAIN
            guard error == EAGAIN || error == EINTR else {
                throw ReceiptPrinterError(path: path, operation: "write", errno: error)
            }
            guard ContinuousClock.now < deadline else {
                throw ReceiptPrinterError(path: path, operation: "write", errno: ETIMEDOUT)
            }
            // The printer's buffer is full: wait for it to take more.
            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            _ = poll(&entry, 1, 100)
        }
    }
}
