import TicketPrint

/// What the kiosk asks its shell to do.
public enum KioskAction: Hashable, Sendable {
    /// Send a request line.
    case send(Request)
    /// Drop the connection (if any) and connect to the daemon at the address given, after a delay in seconds.
    case reconnect(to: DaemonAddress, after: Double)
    /// Print a ticket on the kiosk's receipt printer; a failure comes back as ``KioskInput/printFailed``.
    case print(Receipt)
    /// Leave the program (Ctrl-C).
    case quit
}
