import BoxOfficeCore
import BoxOfficeStore
import Logging
import Payments
import ServiceLifecycle

/// Settles payments that a daemon left half done: a session confirmed in Redis gets its payment captured, a
/// session left PAYING past its grace period (or marked VOID) gets its authorization voided. So a customer is
/// never charged without a booking, whichever daemon died and whenever. It also ends sessions whose connection went
/// away: their holds have freed themselves by their TTL, and ending the session records the `expire` in the audit
/// trail and tidies the hold index.
public struct Reconciler: Sendable {
    /// What one sweep did.
    public struct Report: Sendable, Equatable {
        /// Bookings whose payment was captured.
        public var captured = 0
        /// Authorizations voided.
        public var voided = 0
        /// Payments still within their grace period, left for a later sweep.
        public var pending = 0
        /// Sessions that could not be settled now (Redis or the gateway failing), left for a later sweep.
        public var failed = 0
        /// Open sessions past their deadline that no connection was left to end, ended now.
        public var expired = 0

        /// Creates a report.
        public init(captured: Int = 0, voided: Int = 0, pending: Int = 0, failed: Int = 0, expired: Int = 0) {
            self.captured = captured
            self.voided = voided
            self.pending = pending
            self.failed = failed
            self.expired = expired
        }
    }

    /// How far back, in seconds, sweeps look at shows: a week. Payments are made before a show starts and settled
    /// within minutes, so a show that started longer ago than a card authorization lasts has nothing left to settle.
    static let lookBack = 7 * 86_400

    private let services: BoxOfficeServices
    private let logger: Logger
    /// How long after its deadline an open session is left to its own connection, whose timer ends it (and tells
    /// the kiosk `EVENT EXPIRED`) within a moment of the deadline.
    private let expiryGrace: Duration

    /// Creates a reconciler that ends abandoned sessions `expiryGrace` after their deadline.
    public init(services: BoxOfficeServices, logger: Logger, expiryGrace: Duration = .seconds(5)) {
        self.services = services
        self.logger = logger
        self.expiryGrace = expiryGrace
    }

    /// Looks at every unsettled session of every show once. A session that cannot be settled now (Redis or the
    /// gateway failing) is counted as failed and tried again on the next sweep; it never stops the others.
    public func sweep() async throws(StoreError) -> Report {
        var report = Report()
        let now = try await services.theatre.nowMilliseconds()
        let grace = expiryGrace.components
        let cutoff = now - Int(grace.seconds) * 1000 - Int(grace.attoseconds / 1_000_000_000_000_000)
        let since = Timestamp(secondsSinceEpoch: now / 1000 - Self.lookBack)
        for show in try await services.theatre.showIDs(startingAfter: since) {
            for id in try await services.bookings.overdueSessions(of: show, before: cutoff) {
                do {
                    try await expire(SessionRef(show: show, id: id), into: &report)
                } catch {
                    report.failed += 1
                    logger.warning("cannot expire session yet", metadata: ["session": "\(id)", "error": "\(error)"])
                }
            }
            var replicasLate = false
            for id in try await services.bookings.unsettledSessions(of: show) {
                let session = SessionRef(show: show, id: id)
                do {
                    try await settle(session, into: &report, replicasLate: &replicasLate)
                } catch {
                    report.failed += 1
                    logger.warning("cannot settle payment yet", metadata: ["session": "\(id)", "error": "\(error)"])
                }
            }
        }
        if report != Report() {
            logger.info(
                "reconciled payments",
                metadata: [
                    "captured": "\(report.captured)", "voided": "\(report.voided)", "pending": "\(report.pending)",
                    "failed": "\(report.failed)", "expired": "\(report.expired)",
                ])
        }
        return report
    }

    /// Lists again the shows that have payments to settle but dropped out of the index of shows, which every
    /// sweep follows (a crash between a show's load and its listing could leave one out). Scans the keyspace, so
    /// the service runs it at start-up and every few minutes, not on every sweep.
    /// - Returns: the shows listed again.
    public func repairIndex() async throws(StoreError) -> [ShowID] {
        let repaired = try await services.theatre.repairIndex()
        if !repaired.isEmpty {
            logger.warning(
                "shows with payments to settle were missing from the index of shows; listed again",
                metadata: ["shows": "\(repaired.map(\.rawValue).joined(separator: " "))"])
        }
        return repaired
    }

    /// Ends an open session past its deadline (a PAYING one is left to the payment sweep).
    private func expire(_ session: SessionRef, into report: inout Report) async throws(StoreError) {
        let seats = (try await services.bookings.sessionFields(session)["seats"] ?? "")
            .split(separator: " ").compactMap { SeatID($0) }
        switch try await services.bookings.end(session, believedHeld: seats, as: .expired) {
        case .ended: report.expired += 1
        case .notOpen: try await services.bookings.forgetOpen(session)
        case .paying, .live: break
        }
    }

    /// Settles one session. `replicasLate` is set once the show's replicas have not confirmed a booking in time: the
    /// show's other bookings are left for the next sweep rather than each waiting as long.
    private func settle(_ session: SessionRef, into report: inout Report, replicasLate: inout Bool) async throws {
        let fields = try await services.bookings.sessionFields(session)
        switch fields["state"] {
        case "PAYING":
            let held = (fields["seats"] ?? "").split(separator: " ").compactMap { SeatID($0) }
            guard let attempt = try await services.bookings.abandonPayment(session, held: held) else {
                report.pending += 1
                return
            }
            try await services.gateway.void(idempotencyKey: "\(session.id)-\(attempt)")
            try await services.bookings.settleVoided(session)
            report.voided += 1
        case "VOID":
            try await services.gateway.void(idempotencyKey: "\(session.id)-\(fields["attempt"] ?? "0")")
            try await services.bookings.settleVoided(session)
            report.voided += 1
        case "BOOKED":
            guard let booking = fields["booking"].flatMap({ BookingID($0) }),
                let user = fields["user"].flatMap({ Username($0) }),
                let show = try await services.theatre.shows([session.show]).first
            else { throw StoreError.unexpectedReply("booked session \(session.id) lacks its booking or user") }
            // Captured only once enough replicas have the booking: a failover could still lose it otherwise.
            if let durability = services.durability {
                guard !replicasLate,
                    try await services.bookings.awaitReplicas(of: booking, show: session.show, durability: durability)
                else {
                    replicasLate = true
                    report.pending += 1
                    return
                }
            }
            try await services.bookings.index(booking: booking, of: session, user: user, showStart: show.start)
            try await services.gateway.capture(idempotencyKey: "\(session.id)-\(fields["attempt"] ?? "0")")
            try await services.bookings.settleCaptured(session, booking: booking)
            report.captured += 1
        default:
            try await services.bookings.forgetIfSettled(session)
        }
    }
}

/// Runs a ``Reconciler`` sweep at start-up and then every `interval`, until shutdown.
public struct ReconcilerService: Service {
    private let reconciler: Reconciler
    private let interval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(reconciler: Reconciler, interval: Duration = .seconds(15), logger: Logger) {
        self.reconciler = reconciler
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps between two repairs of the index of shows (at 15 s a sweep, every 5 minutes).
    static let sweepsPerRepair = 20

    public func run() async throws {
        var sweeps = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if sweeps % Self.sweepsPerRepair == 0 {
                do {
                    _ = try await reconciler.repairIndex()
                } catch {
                    logger.warning("repairing the index of shows failed; will retry", metadata: ["error": "\(error)"])
                }
            }
            sweeps += 1
            do {
                _ = try await reconciler.sweep()
            } catch {
                logger.warning("reconciliation sweep failed; will retry", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
