/// A date and time of day at a stated offset from UTC, such as `2026-11-28T20:15:00+01:00`.
public struct TOMLOffsetDateTime: Sendable, Hashable {
    /// The date and time as written, in the offset's local time.
    public let dateTime: TOMLLocalDateTime
    /// The offset from UTC in minutes, east positive: 60 for `+01:00`, 0 for `Z`.
    public let offsetMinutes: Int
}
