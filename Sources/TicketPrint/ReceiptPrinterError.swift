import Glibc

/// A receipt that could not be printed: the printer's path, what failed, and the system's reason.
public struct ReceiptPrinterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The printer's path.
    public let path: String
    /// `open` or `write`.
    public let operation: String
    /// The system's error number.
    public let errno: Int32

    /// The reason in words: `cannot write /dev/usb/lp0: No such device`.
    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(errno)))"
    }
}
