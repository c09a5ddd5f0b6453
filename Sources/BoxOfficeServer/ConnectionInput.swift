import NIOCore

/// Everything a connection's loop reads, in the order it happened.
enum ConnectionInput: Sendable {
    /// A request line from the kiosk, without its line ending.
    case line(ByteBuffer)
    /// One of the connection's timers went off.
    case timer(TimerEvent)
    /// An `EVENT SEATS` or `EVENT LAYOUT` line for the show the connection watches.
    case seatEvent(String)
    /// A graceful shutdown began; the loop ends after the request in hand.
    case shutdown
}
