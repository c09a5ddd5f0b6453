import BoxOfficeCore
import Foundation

/// How the operator's reports write a moment: in the theatre's time zone (or UTC), as `2026-12-12 19:30:00`.
public struct LocalTime: Sendable, Equatable {
    /// The time zone.
    public let zone: TimeZone

    /// UTC.
    public static let utc = LocalTime(zone: TimeZone(identifier: "UTC")!)

    private init(zone: TimeZone) {
        self.zone = zone
    }

    /// The zone named by an IANA identifier such as `Europe/Paris`; nil when the name is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    /// The zone's name for a column heading: `Europe/Paris`, or `UTC`.
    public var name: String { zone.identifier == "GMT" ? "UTC" : zone.identifier }

    /// The zone's offset from UTC at `moment`, in seconds.
    func offset(at moment: Timestamp) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(moment.secondsSinceEpoch)))
    }

    /// `moment` on the zone's clock, to the second: `2026-12-12 19:30:00`.
    public func text(_ moment: Timestamp) -> String {
        let shifted = moment.adding(seconds: offset(at: moment)).description
        return String(shifted.dropLast()).replacingOccurrences(of: "T", with: " ")
    }

    /// An ISO 8601 UTC text (`2026-12-12T18:30:00Z`) on the zone's clock; the text itself when it is not one.
    public func text(iso: String) -> String {
        guard let moment = Timestamp(iso: iso) else { return iso }
        return text(moment)
    }

    /// The calendar day of `moment` on the zone's clock, `2026-12-12`.
    public func day(_ moment: Timestamp) -> String {
        String(text(moment).prefix(10))
    }

    /// The first second of `day` on the zone's clock.
    public func start(of day: CalendarDay) -> Timestamp {
        let guess = day.start.adding(seconds: -offset(at: day.start))
        return day.start.adding(seconds: -offset(at: guess))
    }
}

extension Timestamp {
    /// Parses ISO 8601 UTC to the second, `2026-12-12T18:30:00Z`; nil for anything else.
    public init?(iso text: String) {
        let characters = Array(text)
        guard characters.count == 20, characters[10] == "T", characters[19] == "Z",
            let day = CalendarDay(String(characters[0..<10]))
        else { return nil }
        let clock = String(characters[11..<19]).split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]),
            let minute = Int(clock[1]), let second = Int(clock[2]), hour < 24, minute < 60, second < 60
        else { return nil }
        self = day.start.adding(seconds: hour * 3600 + minute * 60 + second)
    }
}
