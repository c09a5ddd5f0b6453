import Foundation

extension Date {
    /// Reads an instant as the protocol writes it, ISO 8601 UTC to the second: `2026-11-28T09:15:00Z`; nil if
    /// malformed.
    init?(instant text: Substring) {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard text.hasSuffix("Z"), parts.count == 6 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let date = calendar.date(
                from: DateComponents(
                    year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                    second: parts[5]))
        else { return nil }
        self = date
    }
}
