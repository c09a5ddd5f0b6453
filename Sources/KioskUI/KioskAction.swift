/// What the kiosk asks its shell to do.
public enum KioskAction: Hashable, Sendable {
    /// Send a request line.
    case send(Request)
    /// Drop the connection (if any) and connect to the daemon at the address given, after a delay in seconds.
    case reconnect(to: DaemonAddress, after: Double)
    /// Leave the program (Ctrl-C).
    case quit
}
