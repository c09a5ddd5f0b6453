import BoxOfficeCore
import RedisClient
import Synchronization

/// Booking sessions in Redis: start, hold, release, end, and the store's half of payment.
///
/// Every operation on seats is one script call (one round trip), atomic in Redis. The caller passes the seats it
/// believes its session holds only so that the script can name their keys; the script checks them against the
/// session hash and asks again (`RETRY`) if they are out of date.
public final class BookingStore: Sendable {
    /// How long an ended session's hash stays readable for operators.
    public static let retentionMilliseconds = 3_600_000
    /// How long the hash of a session that never held a seat stays after its deadline or its end.
    public static let emptyRetentionMilliseconds = 60_000

    /// Shows whose seats on sale are kept in memory at most (a 960-seat show's take about 60 KB); past it the cache
    /// starts again. SHOWS reads every upcoming show's: a week's programme fits.
    static let cachedLayouts = 256

    let redis: RedisClient
    let keys: StoreKeys
    private let layouts = Mutex<[ShowID: SeatLayout]>([:])
    /// The latest holds and sold seats read of each show, kept while its count of changes stays the same.
    private let readings = Mutex<[ShowID: HoldsAndSales]>([:])

    /// Creates a store over `redis` with the key schema `keys`.
    public init(redis: RedisClient, keys: StoreKeys) {
        self.redis = redis
        self.keys = keys
    }

    // MARK: Session lifecycle

    /// Counts a START of session `id` against the customer's and the kiosk's limits of sessions opened per window,
    /// and against the kiosk's limit of sessions open at once (each counted until it ends, or at the latest until
    /// ``longestLife(under:)`` has passed).
    public func admitStart(user: Username, kiosk: KioskID, session id: SessionID, policy: SessionPolicy)
        async throws(StoreError) -> Admission
    {
        let reply = try await redis.script(
            Scripts.admitStart,
            keys: [keys.starts(user: user), keys.starts(kiosk: kiosk), keys.openSessions(kiosk: kiosk)],
            arguments: [
                String(policy.startsPerCustomer), String(policy.startsPerKiosk),
                String(SessionPolicy.startWindowMilliseconds), String(policy.openSessionsPerKiosk),
                id.rawValue, String(Self.longestLife(under: policy)),
            ])
        switch reply.outcome {
        case "OK": return .allowed
        case "WAIT": return .wait(milliseconds: try reply.integer(at: 0))
        default: throw .unexpectedReply("admit_start: \(reply.outcome)")
        }
    }

    /// Takes an ended session out of its kiosk's sessions open at once.
    public func forgetStarted(_ id: SessionID, kiosk: KioskID) async throws(StoreError) {
        _ = try await redis.run(forgetCommand(id, kiosk: kiosk))
    }

    private func forgetCommand(_ id: SessionID, kiosk: KioskID) -> RedisCommand {
        RedisCommand("ZREM", keys.openSessions(kiosk: kiosk), id.rawValue)
    }

    /// The longest a session can stay open, in milliseconds: its timeout before the first HOLD and again after it,
    /// and every payment attempt's grace period.
    static func longestLife(under policy: SessionPolicy) -> Int {
        2 * policy.timeoutMilliseconds + policy.paymentAttempts * policy.paymentGraceMilliseconds
    }

    /// Opens session `id` for `user` at `kiosk` on `show`; its timeout runs from now until its first hold. It
    /// becomes the customer's one open session: one left open elsewhere (another kiosk, a lost connection) is closed
    /// first and its seats freed, so a customer never holds seats in two sessions.
    /// - Parameter lastEnded: a session of this customer that the caller saw end in Redis (closed, expired or
    ///   booked), which the customer's `session` field most likely still names: the field is then not read first,
    ///   and closing that session again goes with the field's change (two round trips fewer; a wrong guess costs
    ///   one).
    /// - Throws: ``BookingError/unknownShow``, ``BookingError/showStarted``, ``BookingError/sessionOpen`` (the
    ///   customer's other session is paying; nothing changed), or an unavailable store.
    public func start(
        show: ShowID, user: Username, kiosk: KioskID, policy: SessionPolicy, id: SessionID,
        lastEnded: SessionRef? = nil
    ) async throws(StoreError) -> (SessionRef, millisecondsLeft: Int) {
        let session = SessionRef(show: show, id: id)
        let reply = try await redis.script(startCommand(session, user: user, kiosk: kiosk, policy: policy))
        switch reply.outcome {
        case "OK":
            do {
                try await makeOnlySession(session, of: user, lastEnded: lastEnded)
            } catch {
                _ = try? await end(session, believedHeld: [], as: .closed)
                throw error
            }
            return (session, try reply.integer(at: 0))
        case "COLLISION": throw .unexpectedReply("session id \(id) is taken")
        default: throw Self.rejection(reply)
        }
    }

    /// Closes the session the customer's `session` field names, if still open, and points the field at `session`
    /// instead (where RESUME finds it). Each step is atomic in Redis: the close in the old session's slot, the
    /// pointer's change, only if it still names what was closed, in the customer's; another START at once makes
    /// this one try again, at most a few times. When the caller saw `lastEnded` end, the field most likely names
    /// it: that session is closed again (a failover may have lost its close) and the field claimed in one round
    /// trip, without reading it first.
    private func makeOnlySession(_ session: SessionRef, of user: Username, lastEnded: SessionRef?)
        async throws(StoreError)
    {
        var pointer: String
        if let lastEnded {
            guard let current = try await closeAndClaim(lastEnded, for: session, of: user) else { return }
            pointer = current
        } else {
            pointer = try await redis.run(RedisCommand("HGET", keys.user(user), "session")).string ?? ""
        }
        for _ in 0..<5 {
            if let previous = SessionRef(pointer: pointer), previous != session {
                if try await end(previous, believedHeld: [], as: .closed) == .paying { throw .rejected(.sessionOpen) }
            }
            switch try await claim(user, from: pointer, to: session.pointer) {
            case nil: return
            case let current?: pointer = current
            }
        }
        throw .rejected(.sessionOpen)
    }

    /// Closes `previous` (again) and points the customer's field from it at `session`, as one pipeline.
    /// - Returns: nil when the field is claimed; otherwise what it names instead.
    /// - Throws: ``BookingError/sessionOpen`` when `previous` is paying after all (a failover brought it back and it
    ///   went on to pay): the field is pointed back at it, as it was.
    private func closeAndClaim(_ previous: SessionRef, for session: SessionRef, of user: Username)
        async throws(StoreError) -> String?
    {
        let replies = try await redis.pipeline([
            endCommand(previous, believedHeld: [], as: .closed),
            .evaluate(Scripts.claimSession, keys: [keys.user(user)], arguments: [previous.pointer, session.pointer]),
        ])
        let current = try Self.claimed(ScriptReply(replies[1]))
        let closed = try ScriptReply(replies[0]).outcome
        // Anything but closed now or before means a failover brought it back: the whole close, seats and all.
        if closed != "OK", closed != "NO_SESSION",
            try await end(previous, believedHeld: [], as: .closed) == .paying
        {
            if current == nil { _ = try await claim(user, from: session.pointer, to: previous.pointer) }
            throw .rejected(.sessionOpen)
        }
        return current
    }

    /// Points the customer's field at `new` if it names `expected`.
    /// - Returns: nil when it did; otherwise what the field names.
    private func claim(_ user: Username, from expected: String, to new: String) async throws(StoreError) -> String? {
        try Self.claimed(
            await redis.script(Scripts.claimSession, keys: [keys.user(user)], arguments: [expected, new]))
    }

    private static func claimed(_ reply: ScriptReply) throws(StoreError) -> String? {
        switch reply.outcome {
        case "OK": return nil
        case "CHANGED": return reply.details.first ?? ""
        default: throw .unexpectedReply("claim_session: \(reply.outcome)")
        }
    }

    /// Takes back `user`'s live session `id` at `kiosk` after a reconnect. With `show`, the session is looked up
    /// there; without, where the customer's `session` field says (the latest session started).
    /// - Throws: ``BookingError/noSession`` (unknown, ended without a booking, another user's or kiosk's),
    ///   ``BookingError/sessionPaying`` and ``BookingError/sessionBooked`` (the customer's own, not open any more),
    ///   ``BookingError/sessionExpired``.
    public func resume(_ id: SessionID, show: ShowID?, user: Username, kiosk: KioskID) async throws(StoreError)
        -> (SessionRef, Selection)
    {
        let session: SessionRef
        if let show {
            session = SessionRef(show: show, id: id)
        } else {
            let pointer = try await redis.run(RedisCommand("HGET", keys.user(user), "session")).string ?? ""
            guard let pointed = SessionRef(pointer: pointer), pointed.id == id else { throw .rejected(.noSession) }
            session = pointed
        }
        let reply = try await redis.script(
            Scripts.resume, keys: [keys.session(session.show, id)] + keys.scriptTail(session.show),
            arguments: [user.rawValue, kiosk.rawValue])
        switch reply.outcome {
        case "PAYING": throw .rejected(.sessionPaying)
        case "BOOKED": throw .rejected(.sessionBooked)
        default: return (session, try Self.selection(reply))
        }
    }

    /// Adds `seats` to the session's selection, all or none.
    /// - Throws: ``BookingError/seatsUnavailable(_:)`` naming the seats not free, ``BookingError/notForSale(_:)``
    ///   naming blocked ones, ``BookingError/unknownSeat(_:)``, ``BookingError/seatLimit(_:)``, ``BookingError/noSession``, ``BookingError/sessionExpired``.
    public func hold(_ session: SessionRef, seats: [SeatID], policy: SessionPolicy) async throws(StoreError)
        -> Selection
    {
        try Self.selection(await redis.script(holdCommand(session, seats: seats, policy: policy)))
    }

    /// Makes `seats` the session's whole selection in one step, all or none: holds those it does not hold yet and
    /// frees the others it held. The seat limit counts `seats` alone; on any refusal the seats held stay held.
    /// - Parameter believedHeld: the seats the caller believes the session holds; the script asks again if they
    ///   are out of date.
    /// - Throws: as ``hold(_:seats:policy:)``.
    public func replace(
        _ session: SessionRef, with seats: [SeatID], believedHeld: [SeatID], policy: SessionPolicy
    ) async throws(StoreError) -> Selection {
        let show = session.show
        var others = believedHeld.filter { !seats.contains($0) }
        while true {
            let reply = try await redis.script(
                Scripts.replace,
                keys: [keys.show(show), keys.session(show, session.id), keys.seats(show), keys.sold(show)]
                    + (seats + others).map { keys.hold(show, $0) } + keys.scriptTail(show),
                arguments: [
                    session.id.rawValue, String(policy.timeoutMilliseconds), String(policy.maxSeats),
                    String(Self.retentionMilliseconds), String(seats.count),
                ] + (seats + others).map(\.description))
            guard reply.outcome == "RETRY" else { return try Self.selection(reply) }
            let held = reply.seats.filter { !seats.contains($0) }
            guard held != others else { throw .unexpectedReply("replace: \(reply.outcome)") }
            others = held
        }
    }

    /// Gives `seats` back from the session's selection, all or none.
    /// - Throws: ``BookingError/notHeld(_:)`` naming seats the session does not hold, ``BookingError/noSession``,
    ///   ``BookingError/sessionExpired``.
    public func release(_ session: SessionRef, seats: [SeatID]) async throws(StoreError) -> Selection {
        try Self.selection(await redis.script(releaseCommand(session, seats: seats)))
    }

    /// Ends the session and frees its seats at once; with ``SessionEnd/expired``, only once its deadline passed.
    /// - Parameter kiosk: the kiosk whose open sessions (``forgetStarted(_:kiosk:)``) the session leaves, in the
    ///   same pipeline as the first try, whatever the outcome; nil to leave them as they are.
    public func end(
        _ session: SessionRef, believedHeld: [SeatID], as end: SessionEnd, forgettingAt kiosk: KioskID? = nil
    )
        async throws(StoreError) -> EndOutcome
    {
        var seats = believedHeld
        var forget = kiosk.map { forgetCommand(session.id, kiosk: $0) }
        while true {
            let call = endCommand(session, believedHeld: seats, as: end)
            let reply: ScriptReply
            if let zrem = forget {
                reply = try ScriptReply(await redis.pipeline([call, zrem])[0])
                forget = nil
            } else {
                reply = try await redis.script(call)
            }
            switch reply.outcome {
            case "OK": return .ended
            case "NO_SESSION": return .notOpen
            case "PAYING": return .paying
            case "LIVE": return .live(millisecondsLeft: try reply.integer(at: 0))
            case "RETRY" where reply.seats != seats: seats = reply.seats
            default: throw .unexpectedReply("close: \(reply.outcome)")
            }
        }
    }

    /// What the seats the session holds cost now with the ticket types chosen, at the show's prices: what PAY
    /// with the same types would authorize.
    /// - Throws: ``BookingError/noSession``, ``BookingError/sessionExpired``, ``BookingError/tickets(_:)``.
    public func quote(_ session: SessionRef, tickets: TicketChoice = .standard) async throws(StoreError) -> Quote {
        let show = session.show
        let reply = try await redis.script(
            Scripts.quote,
            keys: [keys.show(show), keys.session(show, session.id), keys.seats(show)] + keys.scriptTail(show),
            arguments: [tickets.text])
        switch reply.outcome {
        case "OK":
            guard reply.details.count >= 4 else { throw .unexpectedReply("quote: OK \(reply.details)") }
            let total = try reply.integer(at: 0)
            let vat =
                reply.details[2].isEmpty
                ? nil : (basisPoints: try reply.integer(at: 2), amount: try reply.integer(at: 3))
            var items: [Quote.Item] = []
            for position in stride(from: 4, to: reply.details.count - 3, by: 4) {
                guard let kind = SeatKind(rawValue: reply.details[position]) else {
                    throw .unexpectedReply("quote: seat kind \(reply.details[position])")
                }
                items.append(
                    Quote.Item(
                        kind: kind, ticketType: reply.details[position + 1], count: try reply.integer(at: position + 2),
                        unitPrice: try reply.integer(at: position + 3)))
            }
            return Quote(items: items, total: total, currency: reply.details[1], vat: vat)
        case "NO_PRICE": throw .unexpectedReply("no price for seat kind \(reply.details.first ?? "?")")
        default: throw Self.rejection(reply)
        }
    }

    // MARK: Payment

    /// Step 1 of PAY: checks the holds, marks the session PAYING and extends the holds by the grace period.
    /// - Throws: ``BookingError/nothingHeld``, ``BookingError/sessionExpired``, ``BookingError/holdLost``,
    ///   ``BookingError/noSession``, ``BookingError/showStarted``.
    /// - Parameter shown: the total and currency the customer was shown; the payment is refused
    ///   (``BookingError/priceChanged(amount:currency:)``, nothing changed) if the seats cost another now.
    /// - Parameter tickets: the ticket types chosen; refused (``BookingError/tickets(_:)``, nothing changed) when
    ///   they break a rule of the show's.
    public func beginPayment(
        _ session: SessionRef, believedHeld: [SeatID], shown: (amount: Int, currency: String)?,
        tickets: TicketChoice = .standard, policy: SessionPolicy
    ) async throws(StoreError) -> PaymentStart {
        var seats = believedHeld
        while true {
            let show = session.show
            let reply = try await redis.script(
                Scripts.beginPayment,
                keys: [keys.show(show), keys.session(show, session.id), keys.paying(show), keys.seats(show)]
                    + seats.map { keys.hold(show, $0) } + keys.scriptTail(show),
                arguments: [
                    session.id.rawValue, String(policy.paymentGraceMilliseconds), shown.map { String($0.amount) } ?? "",
                    shown?.currency ?? "", tickets.text,
                ] + seats.map(\.description))
            switch reply.outcome {
            case "OK":
                return PaymentStart(
                    attempt: try reply.integer(at: 0), amount: try reply.integer(at: 1),
                    currency: reply.details.count > 2 ? reply.details[2] : "", seats: reply.seats(from: 3))
            case "NO_PRICE": throw .unexpectedReply("no price for seat kind \(reply.details.first ?? "?")")
            case "PRICE_CHANGED":
                throw .rejected(.priceChanged(amount: try reply.integer(at: 0), currency: reply.details.last ?? ""))
            case "RETRY" where reply.seats != seats: seats = reply.seats
            default: throw Self.rejection(reply)
            }
        }
    }

    /// After a declined authorization: reopens the session, or ends it when no attempts or time are left.
    public func declinePayment(_ session: SessionRef, payment: PaymentStart, reason: String) async throws(StoreError)
        -> DeclineOutcome
    {
        let reply = try await redis.script(
            Scripts.failPayment,
            keys: [keys.session(session.show, session.id), keys.paying(session.show)]
                + payment.seats.map { keys.hold(session.show, $0) } + keys.scriptTail(session.show),
            arguments: [session.id.rawValue, String(payment.attempt), String(Self.retentionMilliseconds), reason]
                + payment.seats.map(\.description))
        switch reply.outcome {
        case "OPEN": return .open(attemptsLeft: try reply.integer(at: 0), millisecondsLeft: try reply.integer(at: 1))
        case "ENDED": return .ended(attemptsLeft: try reply.integer(at: 0))
        case "STALE": throw .rejected(.holdLost)  // the reconciler took the attempt over
        default: throw .unexpectedReply("fail_payment: \(reply.outcome)")
        }
    }

    /// Step 3 of PAY: sells the seats to `booking` if every hold is still the session's and the grace period has
    /// not run out. On ``ConfirmOutcome/holdLost`` the session is left VOID for its authorization to be voided.
    /// Safe to run again for the same attempt (after a reply lost to a failing connection): it then answers what
    /// it did the first time, the booking made then included, and changes nothing.
    public func confirm(
        _ session: SessionRef, payment: PaymentStart, booking: BookingID, ticket: TicketCode, showStart: Timestamp,
        amount: Int, currency: String, paymentKey: String
    ) async throws(StoreError) -> ConfirmOutcome {
        let show = session.show
        let reply = try await redis.script(
            Scripts.confirm,
            keys: [keys.session(show, session.id), keys.sold(show), keys.booking(show, booking), keys.tickets(show)]
                + payment.seats.map { keys.hold(show, $0) } + keys.scriptTail(show),
            arguments: [
                session.id.rawValue, String(payment.attempt), booking.rawValue, show.rawValue,
                String(amount), currency, paymentKey, showStart.description, ticket.rawValue,
            ] + payment.seats.map(\.description))
        switch reply.outcome {
        case "OK":
            guard reply.details.count == 2, let made = BookingID(reply.details[0]),
                let code = TicketCode(reply.details[1])
            else {
                throw .unexpectedReply("confirm: OK \(reply.details)")
            }
            return .confirmed(made, ticket: code)
        case "HOLD_LOST": return .holdLost
        case "COLLISION": return .idTaken
        default: throw .unexpectedReply("confirm: \(reply.outcome)")
        }
    }

    /// Whether `booking` is on `durability.replicas` replicas: marks it (only if the primary now serving its slot has
    /// it: after a failover that lost it, there is nothing to mark) and waits for the replicas to have that mark,
    /// and so, replication being in order, the booking written before it.
    /// - Returns: false when the booking is not on that primary, or too few replicas answered in time.
    public func awaitReplicas(of booking: BookingID, show: ShowID, durability: Durability) async throws(StoreError)
        -> Bool
    {
        try await awaitReplicas(of: keys.booking(show, booking), durability: durability)
    }

    /// Whether the session, as it is now (PAYING, before its payment is authorized), is on `durability.replicas`
    /// replicas, so that a failover cannot lose the record of a payment under way.
    public func awaitReplicas(of session: SessionRef, durability: Durability) async throws(StoreError) -> Bool {
        try await awaitReplicas(of: keys.session(session.show, session.id), durability: durability)
    }

    private func awaitReplicas(of key: String, durability: Durability) async throws(StoreError) -> Bool {
        // EVAL rather than EVALSHA: a script unknown to the node would be sent again after the WAIT.
        let mark = RedisCommand("EVAL", Scripts.markReplicated.source, "1", key)
        let replies: [RedisReply]
        let acknowledged: Int
        do {
            (replies, acknowledged) = try await redis.sendDurably(
                [mark], replicas: durability.replicas, timeout: durability.timeout)
        } catch {
            throw .unavailable(error)
        }
        if let message = replies.first?.errorMessage { throw .unexpectedReply(message) }
        return replies.first?.integer == 1 && acknowledged >= durability.replicas
    }

    /// Lists a confirmed booking among its user's bookings (idempotent).
    public func index(booking: BookingID, of session: SessionRef, user: Username, showStart: Timestamp)
        async throws(StoreError)
    {
        _ = try await redis.run(
            RedisCommand(
                "ZADD", keys.userBookings(user), String(showStart.secondsSinceEpoch),
                "\(session.show)/\(booking)"))
    }

    /// Records that the gateway captured the booking's payment, which settles the session (idempotent: audited once).
    public func settleCaptured(_ session: SessionRef, booking: BookingID) async throws(StoreError) {
        let reply = try await redis.script(
            Scripts.settleCaptured,
            keys: [
                keys.booking(session.show, booking), keys.session(session.show, session.id), keys.paying(session.show),
                keys.audit(session.show),
            ],
            arguments: [session.id.rawValue, String(Self.retentionMilliseconds)])
        guard reply.outcome == "OK" else { throw .unexpectedReply("settle_captured: \(reply.outcome)") }
    }

    /// Records that the gateway voided the session's authorization: a VOID session is closed (idempotent; a session
    /// in any other state, BOOKED above all, is left as it is).
    /// - Returns: false when the session was not VOID (nor closed by an earlier call) and was left alone.
    @discardableResult
    public func settleVoided(_ session: SessionRef) async throws(StoreError) -> Bool {
        let reply = try await redis.script(
            Scripts.settleVoided,
            keys: [keys.session(session.show, session.id), keys.paying(session.show), keys.audit(session.show)],
            arguments: [session.id.rawValue, String(Self.retentionMilliseconds)])
        return reply.outcome == "OK"
    }

    // MARK: Reconciliation

    /// Sessions of `show` whose payment is under way or not yet settled with the gateway.
    public func unsettledSessions(of show: ShowID) async throws(StoreError) -> [SessionID] {
        let reply = try await redis.run(RedisCommand("SMEMBERS", keys.paying(show)))
        return (reply.array ?? []).compactMap { $0.string.flatMap { SessionID($0) } }
    }

    /// Reads a session's hash as it is in Redis; empty when it is gone.
    public func sessionFields(_ session: SessionRef) async throws(StoreError) -> [String: String] {
        try await redis.run(RedisCommand("HGETALL", keys.session(session.show, session.id))).fields
    }

    /// Takes over a session left PAYING past its grace period and frees the seats it held.
    /// - Parameter seats: the seats the caller read from the session; the script asks again if they are out of date.
    /// - Returns: the number of the payment attempt taken over, whose authorization must now be voided; nil when
    ///   the session was left alone (still within its grace period, or no longer PAYING).
    public func abandonPayment(_ session: SessionRef, held seats: [SeatID]) async throws(StoreError) -> Int? {
        var seats = seats
        while true {
            let reply = try await redis.script(
                Scripts.abandonPayment,
                keys: [keys.session(session.show, session.id)] + seats.map { keys.hold(session.show, $0) }
                    + keys.scriptTail(session.show),
                arguments: [session.id.rawValue] + seats.map(\.description))
            switch reply.outcome {
            case "TAKEN": return try reply.integer(at: 0)
            case "LEFT", "GONE": return nil
            case "RETRY" where reply.seats != seats: seats = reply.seats
            default: throw .unexpectedReply("abandon_payment: \(reply.outcome) \(reply.details)")
            }
        }
    }

    /// Sessions of `show` still open whose deadline passed before `cutoff` (Redis time, ms): their connection went
    /// away without closing them. At most `limit`, earliest deadline first.
    public func overdueSessions(of show: ShowID, before cutoff: Int, limit: Int = 1000) async throws(StoreError)
        -> [SessionID]
    {
        let reply = try await redis.run(
            RedisCommand(
                "ZRANGE", keys.openSessions(show), "-inf", "(\(cutoff)", "BYSCORE", "LIMIT", "0", String(limit)))
        return (reply.array ?? []).compactMap { $0.string.flatMap { SessionID($0) } }
    }

    /// Takes a session that is not open any more (its hash gone with its retention) out of its show's open sessions.
    public func forgetOpen(_ session: SessionRef) async throws(StoreError) {
        _ = try await redis.run(RedisCommand("ZREM", keys.openSessions(session.show), session.id.rawValue))
    }

    /// Takes a session out of the `paying` set if it needs no settling; a session PAYING, VOID or BOOKED stays.
    public func forgetIfSettled(_ session: SessionRef) async throws(StoreError) {
        _ = try await redis.script(
            Scripts.forgetSettled, keys: [keys.session(session.show, session.id), keys.paying(session.show)],
            arguments: [session.id.rawValue])
    }

    // MARK: Seat map

    /// The seat map of `show` as `session` sees it (SELECTED for its own holds): one script call (one round trip)
    /// once the show's layout is cached.
    ///
    /// Holds are read from the show's hold index, which the scripts keep in step with the hold keys; an entry past
    /// its deadline (Redis's clock) is a hold that has expired. The index and the sold seats are read in one step,
    /// and only when the show's mark of changes (`#changes`) moved since the reading kept here: otherwise that
    /// reading is the show's state still, its holds compared with Redis's time of this call. The sold seats are read
    /// again only when the mark of sales (`#sold`) moved too.
    /// - Throws: ``BookingError/unknownShow``.
    public func seatMap(of show: ShowID, for session: SessionID?) async throws(StoreError) -> SeatMap {
        var layout: SeatLayout
        if let cached = layouts.withLock({ $0[show] }) {
            layout = cached
        } else {
            layout = try await loadLayout(of: show)
        }
        while true {
            let known = readings.withLock { $0[show] }.flatMap { $0.layoutVersion == layout.version ? $0 : nil }
            let reply = try await redis.run(
                .evaluate(
                    Scripts.seatState, keys: [keys.show(show), keys.holdIndex(show), keys.sold(show)],
                    arguments: [known?.changes ?? "", known?.soldMark ?? ""]))
            guard let parts = reply.array, parts.count >= 3, let version = parts[0].string,
                let now = parts[1].integer, let changes = parts[2].string
            else { throw .unexpectedReply("seat_state: \(reply)") }
            guard !version.isEmpty else { throw .rejected(.unknownShow) }
            guard version == layout.version else {
                layout = try await loadLayout(of: show)
                continue
            }
            let reading: HoldsAndSales
            if parts.count >= 5, let soldMark = parts[4].string {
                let sold: [Int]
                if parts.count == 6 {
                    sold = HoldsAndSales.soldPositions(parts[5], in: layout)
                } else if let known, known.soldMark == soldMark {
                    sold = known.sold
                } else {
                    throw .unexpectedReply("seat_state: no sold seats for \(soldMark)")
                }
                reading = HoldsAndSales(
                    layout: layout, changes: changes, holdIndex: parts[3], soldMark: soldMark, sold: sold)
                readings.withLock { readings in
                    if readings.count >= Self.cachedLayouts, readings[show] == nil { readings.removeAll() }
                    readings[show] = reading
                }
            } else if let known, known.changes == changes {
                reading = known
            } else {
                throw .unexpectedReply("seat_state: no seats for \(changes)")
            }
            return SeatMap(layout: layout, reading: reading, now: now, for: session)
        }
    }

    /// Every seat of `show` with its state as `session` sees it: ``seatMap(of:for:)`` seat by seat.
    /// - Throws: ``BookingError/unknownShow``.
    public func seatStates(of show: ShowID, for session: SessionID?) async throws(StoreError) -> [SeatStatus] {
        try await seatMap(of: show, for: session).statuses
    }

    /// How many seats of each show are free now (neither sold nor held) out of those on sale, for a list of shows:
    /// one pipeline over every show, read as ``seatStates(of:for:)`` reads one; a show whose layout changed since it
    /// was cached costs one more read. Unknown shows are left out.
    public func seatsLeft(of shows: [ShowID]) async throws(StoreError) -> [ShowID: SeatsLeft] {
        guard !shows.isEmpty else { return [:] }
        // One clock for the whole list (the first show's node): a count for people need not be exact to the
        // millisecond of every node.
        let replies = try await redis.pipeline(
            [.evaluate(Scripts.clock, keys: [keys.show(shows[0])], arguments: [])]
                + shows.flatMap { show in
                    [
                        RedisCommand("HGET", keys.show(show), "layout_version"),
                        RedisCommand("HGETALL", keys.holdIndex(show)),
                        RedisCommand("HKEYS", keys.sold(show)),
                    ]
                })
        if let failure = replies.compactMap(\.errorMessage).first { throw .unexpectedReply(failure) }
        guard let now = replies[0].milliseconds else { throw .unexpectedReply("TIME: \(replies[0])") }
        var left: [ShowID: SeatsLeft] = [:]
        for (index, show) in shows.enumerated() {
            let base = 1 + index * 3
            guard let version = replies[base].string else { continue }
            var layout = layouts.withLock { $0[show] }
            if layout?.version != version { layout = try? await loadLayout(of: show) }
            guard let layout else { continue }
            let map = SeatMap(layout: layout, holdIndex: replies[base + 1], sold: replies[base + 2], now: now)
            left[show] = SeatsLeft(free: map.states.count { $0 == .available }, onSale: layout.seats.count)
        }
        return left
    }

    private func loadLayout(of show: ShowID) async throws(StoreError) -> SeatLayout {
        let reply = try await redis.run(RedisCommand("HMGET", keys.show(show), "layout_version", "layout"))
        guard let fields = reply.array, fields.count == 2, let version = fields[0].string, let text = fields[1].string
        else { throw .rejected(.unknownShow) }
        let rows = SeatRow.rows(inLayout: text)
        let layout = SeatLayout(version: version, seats: rows.flatMap(\.seats).filter(\.kind.isForSale))
        layouts.withLock { layouts in
            if layouts.count >= Self.cachedLayouts { layouts.removeAll(keepingCapacity: true) }
            layouts[show] = layout
        }
        return layout
    }

    // MARK: Replies

    private static func selection(_ reply: ScriptReply) throws(StoreError) -> Selection {
        guard reply.outcome == "OK" else { throw rejection(reply) }
        return Selection(seats: reply.seats(from: 1).sorted(), millisecondsLeft: try reply.integer(at: 0))
    }

    private static func rejection(_ reply: ScriptReply) -> StoreError {
        switch reply.outcome {
        case "UNKNOWN_SHOW": .rejected(.unknownShow)
        case "SHOW_STARTED": .rejected(.showStarted)
        case "NO_SESSION": .rejected(.noSession)
        case "PAYING": .rejected(.noSession)
        case "EXPIRED": .rejected(.sessionExpired)
        case "NOTHING_HELD": .rejected(.nothingHeld)
        case "HOLD_LOST": .rejected(.holdLost)
        case "SEATS_UNAVAILABLE": .rejected(.seatsUnavailable(reply.seats.sorted()))
        case "NOT_FOR_SALE": .rejected(.notForSale(reply.seats.sorted()))
        case "NOT_HELD": .rejected(.notHeld(reply.seats.sorted()))
        case "UNKNOWN_SEAT": reply.seats.first.map { .rejected(.unknownSeat($0)) } ?? .unexpectedReply("UNKNOWN_SEAT")
        case "TOO_MANY_CHANGES":
            (Int(reply.details.first ?? "")).map { .rejected(.tooManyChanges($0)) }
                ?? .unexpectedReply("TOO_MANY_CHANGES")
        case "SEAT_LIMIT":
            (Int(reply.details.first ?? "")).map { .rejected(.seatLimit($0)) } ?? .unexpectedReply("SEAT_LIMIT")
        case "UNKNOWN_TICKET_TYPE", "TICKET_RATING", "TICKET_KIND", "TICKET_COUNT", "TOO_MANY_COMPANIONS":
            ticketRefusal(reply).map { .rejected(.tickets($0)) }
                ?? .unexpectedReply("\(reply.outcome) \(reply.details)")
        default: .unexpectedReply("\(reply.outcome) \(reply.details)")
        }
    }

    /// The ticket refusal a `quote` or `begin_payment` reply names; nil when it names none.
    private static func ticketRefusal(_ reply: ScriptReply) -> TicketRefusal? {
        let details = reply.details
        let first = details.first ?? ""
        let second = details.count > 1 ? details[1] : ""
        return switch reply.outcome {
        case "UNKNOWN_TICKET_TYPE": .unknownType(first)
        case "TICKET_RATING": .notForRating(type: first, rating: second)
        case "TICKET_KIND": SeatKind(rawValue: second).map { .notForKind(type: first, kind: $0) }
        case "TICKET_COUNT":
            SeatKind(rawValue: first).flatMap { kind in Int(second).map { .countMismatch(kind: kind, held: $0) } }
        case "TOO_MANY_COMPANIONS": Int(first).map { .tooManyCompanions(allowed: $0) }
        default: nil
        }
    }
}

// MARK: The commands themselves

extension BookingStore {
    /// The `start` script's call that opens `session` (it does not make it the customer's only session: ``start``
    /// does that next). Public for callers that send it themselves, like the bench's load generator.
    public func startCommand(_ session: SessionRef, user: Username, kiosk: KioskID, policy: SessionPolicy)
        -> RedisCommand
    {
        let show = session.show
        return .evaluate(
            Scripts.start, keys: [keys.show(show), keys.session(show, session.id)] + keys.scriptTail(show),
            arguments: [
                session.id.rawValue, show.rawValue, user.rawValue, kiosk.rawValue,
                String(policy.timeoutMilliseconds), String(policy.paymentAttempts),
                String(Self.emptyRetentionMilliseconds),
            ])
    }

    /// The `hold` script's call that ``hold(_:seats:policy:)`` sends.
    public func holdCommand(_ session: SessionRef, seats: [SeatID], policy: SessionPolicy) -> RedisCommand {
        let show = session.show
        return .evaluate(
            Scripts.hold,
            keys: [keys.show(show), keys.session(show, session.id), keys.seats(show), keys.sold(show)]
                + seats.map { keys.hold(show, $0) } + keys.scriptTail(show),
            arguments: [
                session.id.rawValue, String(policy.timeoutMilliseconds), String(policy.maxSeats),
                String(Self.retentionMilliseconds),
            ] + seats.map(\.description))
    }

    /// The `release` script's call that ``release(_:seats:)`` sends.
    public func releaseCommand(_ session: SessionRef, seats: [SeatID]) -> RedisCommand {
        .evaluate(
            Scripts.release,
            keys: [keys.session(session.show, session.id)] + seats.map { keys.hold(session.show, $0) }
                + keys.scriptTail(session.show),
            arguments: [session.id.rawValue] + seats.map(\.description))
    }

    /// The `close` script's call that ``end(_:believedHeld:as:)`` sends first.
    public func endCommand(_ session: SessionRef, believedHeld seats: [SeatID], as end: SessionEnd) -> RedisCommand {
        .evaluate(
            Scripts.close,
            keys: [keys.session(session.show, session.id)] + seats.map { keys.hold(session.show, $0) }
                + keys.scriptTail(session.show),
            arguments: [
                session.id.rawValue, end.rawValue, String(Self.retentionMilliseconds),
                String(Self.emptyRetentionMilliseconds),
            ] + seats.map(\.description))
    }

    /// The four reads that give a show's whole seat state, as one pipeline: the layout version, the clock, the hold
    /// index, the sold seats. (``seatMap(of:for:)`` reads them in one script, and only when they changed.)
    public func seatMapReads(of show: ShowID) -> [RedisCommand] {
        [
            RedisCommand("HGET", keys.show(show), "layout_version"),
            .evaluate(Scripts.clock, keys: [keys.show(show)], arguments: []),
            RedisCommand("HGETALL", keys.holdIndex(show)),
            RedisCommand("HKEYS", keys.sold(show)),
        ]
    }
}
