/// A date and time of day with no time zone, such as `2026-11-28T20:15:00`.
public struct TOMLLocalDateTime: Sendable, Hashable {
    /// The date.
    public let date: TOMLLocalDate
    /// The time of day.
    public let time: TOMLLocalTime
}
