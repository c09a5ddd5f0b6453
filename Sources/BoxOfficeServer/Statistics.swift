import CoreMetrics
import Histogram
import Payments
import Synchronization

/// The daemon's live figures since it started: connections, sessions, holds, bookings, payments and command
/// latencies. Every figure is recorded by one call here, which updates both the numbers `STATS` reports and
/// the swift-metrics instruments made by the factory given at creation (Prometheus in the daemon, nothing by
/// default), so the two can never disagree about what happened.
///
/// Shared by every connection; a recording call takes one short lock of its own, updates an instrument (atomics
/// or a short lock in the Prometheus backend) and does no I/O.
public final class Statistics: Sendable {
    /// The latency groups `STATS` reports: every command together, and the hot ones one by one.
    public enum Timing: String, CaseIterable, Sendable {
        /// Every request that parsed, whatever its command.
        case all
        /// `SEATS`, with or without a show id.
        case seats
        /// `HOLD`.
        case hold
        /// `PAY`.
        case pay
    }

    /// The counts, all under one lock.
    private struct Counts {
        var connections = 0
        var connectionsTotal = 0
        var connectionsRefused = 0
        var connectionsShed = 0
        var sessionsStarted = 0
        var sessionsOpen = 0
        var sessionsExpired = 0
        var sessionsAbandoned = 0
        var holds = 0
        var seatsHeld = 0
        var seatsReleased = 0
        var bookings = 0
        var seatsBooked = 0
        var paymentsApproved = 0
        var paymentsDeclined: [DeclineReason: Int] = [:]
        var paymentsFailed = 0
        var holdLost = 0
        var latencies: [Timing: Histogram<UInt64>] = Dictionary(
            uniqueKeysWithValues: Timing.allCases.map { ($0, Statistics.emptyHistogram()) })
    }

    /// The swift-metrics instruments, one per figure (labelled by reason or command where there are several).
    private struct Instruments: Sendable {
        let connections: Meter
        let connectionsTotal: Counter
        let connectionsRefused: Counter
        let connectionsShed: Counter
        let sessionsStarted: Counter
        let sessionsOpen: Meter
        let sessionsExpired: Counter
        let sessionsAbandoned: Counter
        let holds: Counter
        let seatsHeld: Counter
        let seatsReleased: Counter
        let bookings: Counter
        let seatsBooked: Counter
        let paymentsApproved: Counter
        let paymentsDeclined: [DeclineReason: Counter]
        let paymentsFailed: Counter
        let holdLost: Counter
        /// One timer per group, labelled `command="SEATS"`, `"HOLD"`, `"PAY"`; the one under `.all` is labelled
        /// `"OTHER"` and times only the commands without a group of their own, so the series add up.
        let durations: [Timing: Timer]
    }

    /// The label of the command-duration histogram, in seconds, for exporters that need per-metric settings.
    public static let commandDurationLabel = "boxoffice_command_duration_seconds"
    /// The longest latency the percentiles resolve, in microseconds (60 s); longer ones count as this long.
    static let longestLatencyMicroseconds: UInt64 = 60_000_000

    private let counts = Mutex(Counts())
    private let instruments: Instruments
    private let started = ContinuousClock.now

    /// Creates empty figures.
    /// - Parameter metrics: the factory that makes the swift-metrics instruments; by default none are kept.
    ///   The daemon passes a Prometheus factory; tests pass one over a registry of their own.
    public init(metrics: any MetricsFactory = NOOPMetricsHandler.instance) {
        func counter(_ name: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: "boxoffice_\(name)_total", dimensions: dimensions, factory: metrics)
        }
        instruments = Instruments(
            connections: Meter(label: "boxoffice_connections", factory: metrics),
            connectionsTotal: counter("connections"),
            connectionsRefused: counter("connections_refused"),
            connectionsShed: counter("connections_shed"),
            sessionsStarted: counter("sessions_started"),
            sessionsOpen: Meter(label: "boxoffice_sessions_open", factory: metrics),
            sessionsExpired: counter("sessions_expired"),
            sessionsAbandoned: counter("sessions_abandoned"),
            holds: counter("holds"),
            seatsHeld: counter("seats_held"),
            seatsReleased: counter("seats_released"),
            bookings: counter("bookings"),
            seatsBooked: counter("seats_booked"),
            paymentsApproved: counter("payments_approved"),
            paymentsDeclined: Dictionary(
                uniqueKeysWithValues: DeclineReason.allCases.map {
                    ($0, counter("payments_declined", [("reason", $0.rawValue)]))
                }),
            paymentsFailed: counter("payments_failed"),
            holdLost: counter("hold_lost"),
            durations: Dictionary(
                uniqueKeysWithValues: Timing.allCases.map { timing in
                    let command = timing == .all ? "OTHER" : timing.rawValue.uppercased()
                    return (
                        timing,
                        Timer(label: Self.commandDurationLabel, dimensions: [("command", command)], factory: metrics)
                    )
                }))
    }

    // MARK: Recording

    /// A connection is being served.
    func connectionOpened() {
        counts.withLock {
            $0.connections += 1
            $0.connectionsTotal += 1
        }
        instruments.connections.increment()
        instruments.connectionsTotal.increment()
    }

    /// A served connection ended.
    func connectionClosed() {
        counts.withLock { $0.connections -= 1 }
        instruments.connections.decrement()
    }

    /// A connection was turned away: every place for an identified kiosk was taken.
    func connectionRefused() {
        counts.withLock { $0.connectionsRefused += 1 }
        instruments.connectionsRefused.increment()
    }

    /// A connection that had not identified its kiosk was closed to make room for a newer one.
    func connectionShed() {
        counts.withLock { $0.connectionsShed += 1 }
        instruments.connectionsShed.increment()
    }

    /// A connection opened a booking session.
    func sessionStarted() {
        counts.withLock {
            $0.sessionsStarted += 1
            $0.sessionsOpen += 1
        }
        instruments.sessionsStarted.increment()
        instruments.sessionsOpen.increment()
    }

    /// A connection took back a live session with RESUME: open here again (not started again).
    func sessionResumed() {
        counts.withLock { $0.sessionsOpen += 1 }
        instruments.sessionsOpen.increment()
    }

    /// A connection's booking session ended, however it ended.
    /// - Parameter expired: true when it ended because its deadline passed.
    func sessionEnded(expired: Bool) {
        counts.withLock {
            $0.sessionsOpen -= 1
            if expired { $0.sessionsExpired += 1 }
        }
        instruments.sessionsOpen.decrement()
        if expired { instruments.sessionsExpired.increment() }
    }

    /// A connection ended with its booking session still open; its seats stay held until the deadline.
    func sessionAbandoned() {
        counts.withLock {
            $0.sessionsOpen -= 1
            $0.sessionsAbandoned += 1
        }
        instruments.sessionsOpen.decrement()
        instruments.sessionsAbandoned.increment()
    }

    /// A HOLD succeeded, adding `seats` seats to its session's selection.
    func held(seats: Int) {
        counts.withLock {
            $0.holds += 1
            $0.seatsHeld += seats
        }
        instruments.holds.increment()
        instruments.seatsHeld.increment(by: seats)
    }

    /// Seats were given back at once: by RELEASE, or by ending a session that held them.
    func released(seats: Int) {
        guard seats > 0 else { return }
        counts.withLock { $0.seatsReleased += seats }
        instruments.seatsReleased.increment(by: seats)
    }

    /// The gateway authorized a payment.
    func paymentApproved() {
        counts.withLock { $0.paymentsApproved += 1 }
        instruments.paymentsApproved.increment()
    }

    /// The gateway declined a payment.
    func paymentDeclined(_ reason: DeclineReason) {
        counts.withLock { $0.paymentsDeclined[reason, default: 0] += 1 }
        instruments.paymentsDeclined[reason]?.increment()
    }

    /// The gateway failed to answer a payment, or answered it wrongly.
    func paymentFailed() {
        counts.withLock { $0.paymentsFailed += 1 }
        instruments.paymentsFailed.increment()
    }

    /// A booking was confirmed with `seats` seats.
    func booked(seats: Int) {
        counts.withLock {
            $0.bookings += 1
            $0.seatsBooked += seats
        }
        instruments.bookings.increment()
        instruments.seatsBooked.increment(by: seats)
    }

    /// A PAY found a hold lost.
    func holdLost() {
        counts.withLock { $0.holdLost += 1 }
        instruments.holdLost.increment()
    }

    /// A request was answered after `duration`; it counts towards `all` and, if given, its own command.
    func answered(_ timing: Timing?, after duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let microseconds = UInt64(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let value = min(max(microseconds, 1), Self.longestLatencyMicroseconds)
        counts.withLock {
            _ = $0.latencies[.all]?.record(value)
            if let timing { _ = $0.latencies[timing]?.record(value) }
        }
        instruments.durations[timing ?? .all]?.recordNanoseconds(
            seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    // MARK: Reading

    /// The connections that have ended since the daemon started.
    public var closedConnections: Int { counts.withLock { $0.connectionsTotal - $0.connections } }

    /// Every figure, by its `STATS` name, in the documented order.
    public func figures() -> [(name: String, value: Int)] {
        let uptime = (ContinuousClock.now - started).components.seconds
        return counts.withLock { counts in
            var figures: [(name: String, value: Int)] = [
                ("uptime_seconds", Int(uptime)),
                ("connections", counts.connections),
                ("connections_total", counts.connectionsTotal),
                ("connections_refused", counts.connectionsRefused),
                ("connections_shed", counts.connectionsShed),
                ("sessions_started", counts.sessionsStarted),
                ("sessions_open", counts.sessionsOpen),
                ("sessions_expired", counts.sessionsExpired),
                ("sessions_abandoned", counts.sessionsAbandoned),
                ("holds", counts.holds),
                ("seats_held", counts.seatsHeld),
                ("seats_released", counts.seatsReleased),
                ("bookings", counts.bookings),
                ("seats_booked", counts.seatsBooked),
                ("payments_approved", counts.paymentsApproved),
            ]
            for reason in DeclineReason.allCases {
                figures.append(
                    ("payments_declined_\(reason.rawValue.lowercased())", counts.paymentsDeclined[reason] ?? 0))
            }
            figures.append(("payments_failed", counts.paymentsFailed))
            figures.append(("hold_lost", counts.holdLost))
            for timing in Timing.allCases {
                let histogram = counts.latencies[timing] ?? Self.emptyHistogram()
                let empty = histogram.totalCount == 0
                let name = "latency_\(timing.rawValue)"
                figures.append(("\(name)_count", Int(histogram.totalCount)))
                for percentile in [50, 90, 99] {
                    figures.append(
                        ("\(name)_p\(percentile)_us", empty ? 0 : Int(histogram.valueAtPercentile(Double(percentile)))))
                }
                figures.append(("\(name)_max_us", empty ? 0 : Int(histogram.max)))
            }
            return figures
        }
    }

    private static func emptyHistogram() -> Histogram<UInt64> {
        Histogram(highestTrackableValue: longestLatencyMicroseconds, numberOfSignificantValueDigits: .three)
    }
}
