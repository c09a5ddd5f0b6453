/// A calendar date with no time zone, such as `2026-11-28`.
public struct TOMLLocalDate: Sendable, Hashable {
    /// The year, 0 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, from 1; always a day that exists in that month.
    public let day: Int
}
