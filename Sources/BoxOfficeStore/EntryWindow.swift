/// When a door admits the ticket holders of a show: from a while before it starts until a while after it ends.
public struct EntryWindow: Sendable, Equatable {
    /// Minutes before the show's start that its door opens.
    public let opensMinutesBeforeStart: Int
    /// Minutes after the show's end (start plus duration) that its door still admits latecomers.
    public let closesMinutesAfterEnd: Int

    /// The standard window: the door opens 30 minutes before the start and closes 30 minutes after the end.
    public static let standard = EntryWindow(opensMinutesBeforeStart: 30, closesMinutesAfterEnd: 30)

    /// Creates a window.
    public init(opensMinutesBeforeStart: Int, closesMinutesAfterEnd: Int) {
        self.opensMinutesBeforeStart = opensMinutesBeforeStart
        self.closesMinutesAfterEnd = closesMinutesAfterEnd
    }
}
