import Histogram

/// The commands the benchmark times.
enum BenchCommand: String, CaseIterable, Sendable {
    case start = "START"
    case seats = "SEATS"
    case hold = "HOLD"
    case release = "RELEASE"
    case pay = "PAY"
    case close = "CLOSE"
}

/// A run's measurements: a latency histogram per command (microseconds) and outcome counts.
struct BenchRecorder: Sendable {
    var latencies: [BenchCommand: Histogram<UInt64>] = Dictionary(
        uniqueKeysWithValues: BenchCommand.allCases.map {
            ($0, Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))
        })
    var holdConflicts = 0
    var declines = 0
    var bookings = 0
    var seatsSold = 0
    var errors: [String: Int] = [:]
    /// Every booking the kiosks were told about, for the invariant checker.
    var confirmed: [(booking: String, show: String, seats: [String])] = []

    mutating func record(_ command: BenchCommand, microseconds: UInt64) {
        _ = latencies[command]?.record(max(microseconds, 1))
    }
}
