/// A request as the kiosk sent it: the command, and the epoch the kiosk was in, so that late replies to a
/// customer who has gone (idle reset, logout) or to a dead connection are dropped.
public struct Request: Hashable, Sendable {
    /// The command.
    public var command: KioskCommand
    /// The kiosk's epoch when it was sent.
    public var epoch: Int

    /// Creates a request.
    public init(_ command: KioskCommand, epoch: Int) {
        self.command = command
        self.epoch = epoch
    }
}
