import Foundation
import Synchronization

/// Formats dates for people (British English), with one `DateFormatter` per time zone and pattern, made once and
/// kept: a frame is drawn several times a second, and a formatter is slow to make.
enum DateFormats {
    /// The formatters made so far, by time zone identifier and pattern. A formatter is only used while the lock is
    /// held, so one is never used by two threads at once.
    private static let cache = Mutex<[String: DateFormatter]>([:])

    /// `date` in `timeZone`, written with the `DateFormatter` pattern `pattern`.
    static func string(from date: Date, pattern: String, timeZone: TimeZone) -> String {
        cache.withLock { cache in
            let key = timeZone.identifier + " " + pattern
            if let formatter = cache[key] { return formatter.string(from: date) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_GB")
            formatter.timeZone = timeZone
            formatter.dateFormat = pattern
            cache[key] = formatter
            return formatter.string(from: date)
        }
    }
}
