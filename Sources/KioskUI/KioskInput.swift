/// Something that happened to the kiosk: a key, a line (plain mode), the connection, a reply, an event, a tick.
public enum KioskInput: Sendable {
    /// A key pressed (full-screen mode).
    case key(Key)
    /// A line typed (plain mode).
    case line(String)
    /// The connection is up and the greeting was read.
    case connected
    /// The connection failed or dropped.
    case disconnected
    /// The reply to a request.
    case reply(Request, ServerReply)
    /// An `EVENT ...` line.
    case event(String)
    /// Time passed (the shell ticks a few times a second).
    case tick
    /// A ticket could not be printed (the printer offline, out of paper, not there).
    case printFailed
}
