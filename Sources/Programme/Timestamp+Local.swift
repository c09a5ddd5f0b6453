import BoxOfficeCore
import Foundation

extension Timestamp {
    /// The moment as a local date-time in `zone`, written as a programme file writes it:
    /// `2026-12-12T21:40:00 (Europe/London)`.
    func local(in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)))
        return "\(adding(seconds: offset).description.dropLast()) (\(zone.identifier))"
    }
}
