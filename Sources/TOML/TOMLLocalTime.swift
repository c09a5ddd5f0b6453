/// A time of day with no date or time zone, such as `20:15:00` or `20:15:00.5`.
public struct TOMLLocalTime: Sendable, Hashable {
    /// The hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59.
    public let minute: Int
    /// The second, 0 to 59; 0 when the document omits seconds.
    public let second: Int
    /// The fraction of the second in nanoseconds; digits past the ninth are dropped.
    public let nanosecond: Int
}
