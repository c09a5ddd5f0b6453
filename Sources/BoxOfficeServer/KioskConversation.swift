import BoxOfficeCore
import BoxOfficeStore
import Credentials
import KioskProtocol
import Logging
import NIOCore
import Payments

/// One kiosk connection's conversation: the phase it is in and a handler per request. It answers each request
/// fully before the next, so a connection never races itself; everything shared lives in Redis.
struct KioskConversation {
    /// Failed KIOSK attempts allowed on one connection before it is closed.
    static let kioskAttempts = 3

    private(set) var phase = ConnectionPhase.awaitingKiosk(failures: 0)
    let services: BoxOfficeServices
    /// The connection's place among the daemon's connections: unidentified until KIOSK succeeds.
    let ticket: ConnectionTicket
    private(set) var logger: Logger
    private let timer: DeadlineTimer
    /// Where this connection's seat events go, and its current watch, if any.
    let seatEvents: @Sendable (String) -> Void
    var watch: SeatWatch.Token?

    init(
        services: BoxOfficeServices, ticket: ConnectionTicket, logger: Logger, timer: DeadlineTimer,
        seatEvents: @escaping @Sendable (String) -> Void
    ) {
        self.services = services
        self.ticket = ticket
        self.logger = logger
        self.timer = timer
        self.seatEvents = seatEvents
    }

    /// Answers one request line.
    mutating func respond(to line: some Collection<UInt8>) async -> Response {
        let request: Request
        do {
            request = try Request(parsing: line)
        } catch {
            var response = Response.error(error)
            response.closesConnection = error.code == .lineTooLong
            return response
        }
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await handle(request)
        } catch {
            response = failure(error)
        }
        services.statistics.answered(Self.timing(of: request), after: ContinuousClock.now - started)
        return response
    }

    /// Called once the connection has ended: a session still open stays so in Redis until its deadline.
    func connectionEnded() {
        if phase.session != nil { services.statistics.sessionAbandoned() }
        if let watch { services.seatWatch.unwatch(watch) }
    }

    /// Called when the session's timer fires: ends the session if its deadline really passed.
    /// - Returns: the `EVENT EXPIRED` line to send, if it expired.
    mutating func deadlineReached(for id: SessionID) async -> String? {
        guard let session = phase.session, session.ref.id == id else { return nil }
        do {
            switch try await services.bookings.end(session.ref, believedHeld: session.seats, as: .expired) {
            case .ended:
                logger.info("session expired", metadata: ["session": "\(id)"])
                await endSession(expired: true, endedInRedis: true)
                return "EVENT EXPIRED \(id)"
            case .live(let millisecondsLeft):
                timer.schedule(id, inMilliseconds: millisecondsLeft)
            case .paying:
                timer.schedule(id, inMilliseconds: 1000)
            case .notOpen:
                await endSession(endedInRedis: true)
            }
        } catch {
            logger.warning("cannot expire session yet", metadata: ["session": "\(id)", "error": "\(error)"])
            timer.schedule(id, inMilliseconds: 1000)
        }
        return nil
    }

    /// Closes an open session, freeing its seats at once: on QUIT and LOGOUT, and after a lost hold.
    private mutating func closeSession() async {
        guard let session = phase.session else { return }
        _ = try? await services.bookings.end(session.ref, believedHeld: session.seats, as: .closed)
        services.statistics.released(seats: session.seats.count)
        await endSession()
    }

    // MARK: Dispatch

    // Each group of requests is answered by a function of its own, never inlined: an async function's frame holds
    // the values of every branch at once, and a connection's task keeps the memory of its deepest frames for as
    // long as it lives, so one dispatch over every request would cost each idle connection kilobytes.

    private mutating func handle(_ request: Request) async throws(StoreError) -> Response {
        switch request {
        case .ping: return .ok("PONG")
        case .help: return .ok("HELP " + phase.allowedCommands.joined(separator: " "))
        case .quit: return await quit()
        case .kiosk(let id, let secret): return kiosk(id, secret: secret)
        default: break
        }
        guard let profile = phase.kiosk else { return .error(.kioskRequired) }
        if case .door = profile.role { return try await doorRequest(request, door: profile) }
        if let response = try await browsingRequest(request, at: profile) { return response }
        guard case .customer(_, let user, let session) = phase else { return .error(.loginRequired) }
        if let response = try await customerRequest(request, user: user, at: profile) { return response }
        guard case .open(let session) = session else { return .error(.noSession) }
        return try await sessionRequest(request, in: session, user: user, at: profile)
    }

    /// A door kiosk's request: ADMIT only.
    @inline(never)
    private func doorRequest(_ request: Request, door profile: KioskProfile) async throws(StoreError) -> Response {
        guard case .door(let screens, let entry) = profile.role, case .admit(let code) = request else {
            return .error(.wrongRole, "a door kiosk may only ADMIT (and PING, HELP, QUIT)")
        }
        return try await admit(code, door: profile.id, screens: screens, entry: entry)
    }

    /// Accounts and browsing, at an identified kiosk; nil for any other request.
    @inline(never)
    private mutating func browsingRequest(_ request: Request, at profile: KioskProfile) async throws(StoreError)
        -> Response?
    {
        switch request {
        case .admit: return .error(.wrongRole, "ADMIT is for door kiosks")
        case .register(let user, let password): return try await register(user, password, at: profile)
        case .login(let user, let password): return try await login(user, password, at: profile)
        case .shows: return try await shows()
        case .stats: return stats()
        case .seats(let show?) where phase.session?.ref.show != show: return try await seats(of: show, session: nil)
        case .layout(let show): return try await layout(of: show)
        case .prices(let show): return try await prices(of: show)
        case .watch(let show): return try await watch(show)
        case .unwatch: return unwatch()
        default: return nil
        }
    }

    /// A logged-in customer's requests outside a booking session; nil for any other request.
    @inline(never)
    private mutating func customerRequest(_ request: Request, user: Username, at profile: KioskProfile)
        async throws(StoreError) -> Response?
    {
        switch request {
        case .logout: return await logout()
        case .start(let show): return try await start(show, user: user, profile: profile)
        case .resume(let id, let show): return try await resume(id, show: show, user: user, profile: profile)
        case .bookings: return try await bookings(of: user)
        case .cancel(let booking): return try await cancel(booking, user: user)
        default: return nil
        }
    }

    /// A request in the customer's open booking session.
    @inline(never)
    private mutating func sessionRequest(
        _ request: Request, in session: OpenSession, user: Username, at profile: KioskProfile
    ) async throws(StoreError) -> Response {
        switch request {
        case .seats: return try await seats(of: session.ref.show, session: session.ref.id)
        case .hold(let seats): return try await hold(seats, in: session, policy: profile.policy)
        case .best(let count, let kind, let replace):
            return try await best(count, kind: kind, replace: replace, in: session, policy: profile.policy)
        case .release(let seats): return try await release(seats, in: session)
        case .quote(let tickets): return try await quote(session, tickets: tickets)
        case .pay(let token, let shown, let tickets):
            return try await pay(
                token, shown: shown, tickets: tickets, in: session, user: user, policy: profile.policy)
        case .close: return try await close(session)
        default: return .error(.internalError)
        }
    }

    // MARK: Connection and accounts

    /// `QUIT` → `OK BYE`, then the connection closes; an open session is closed first.
    private mutating func quit() async -> Response {
        await closeSession()
        var response = Response.ok("BYE")
        response.closesConnection = true
        return response
    }

    /// `KIOSK <kiosk-id> <secret>` → `OK KIOSK <kiosk-id>` | `ERR AUTH_FAILED` (the third: `ERR AUTH_FAILED 3 failed
    /// attempts, closing`, then the connection closes) | `ERR ALREADY_AUTHENTICATED`
    /// | `ERR UNAVAILABLE too many connections` (then the connection closes).
    /// The secret is checked against its SHA-256 in constant time; an unknown kiosk is checked against a decoy.
    private mutating func kiosk(_ id: KioskID?, secret: String) -> Response {
        guard case .awaitingKiosk(let failures) = phase else { return .error(.alreadyAuthenticated) }
        let profile = id.flatMap { services.profiles[$0] }
        let digest = profile?.secretDigest ?? Self.decoyDigest
        guard digest.matches(secret: secret), let profile else {
            phase = .awaitingKiosk(failures: failures + 1)
            logger.notice("kiosk authentication failed", metadata: ["kiosk": "\(id?.rawValue ?? "-")"])
            guard failures + 1 >= Self.kioskAttempts else { return .error(.authFailed) }
            var response = Response.error(.authFailed, "\(Self.kioskAttempts) failed attempts, closing")
            response.closesConnection = true
            return response
        }
        guard ticket.identify(as: profile.id, limit: profile.maxConnections) else {
            services.statistics.connectionRefused()
            var response = Response.error(.unavailable, "too many connections")
            response.closesConnection = true
            return response
        }
        phase = .kiosk(profile)
        logger[metadataKey: "kiosk"] = "\(profile.id)"
        return .ok("KIOSK \(profile.id)")
    }

    private static let decoyDigest = SecretDigest(of: "decoy-kiosk-secret")

    /// `REGISTER <username> <password>` → `OK REGISTERED <username>` | `ERR USER_EXISTS` | `ERR RATE_LIMITED <seconds>`
    /// | `ERR UNAVAILABLE busy`. The attempt counts against the kiosk's limits before the name is looked up, and
    /// takes a place in the password queue only once admitted.
    private func register(_ user: Username, _ password: Password, at profile: KioskProfile) async throws(StoreError)
        -> Response
    {
        let admission = try await services.users.admitRegistration(
            kiosk: profile.id, limits: services.loginLimits, passwordChecksPerMinute: profile.passwordChecksPerMinute)
        if case .wait(let milliseconds) = admission {
            logger.notice("registration rate limited")
            return Self.rateLimited(milliseconds)
        }
        guard try await !services.users.exists(user) else { return .error(.userExists) }
        let hashed = await services.passwords.withPlace(for: profile.id) { place in
            try? await place.hash(password)
        }
        guard let hashed else { return Self.passwordsBusy }
        guard let hash = hashed else { return .error(.internalError) }
        let now = try await services.theatre.now()
        guard try await services.users.create(user, passwordHash: hash, at: now) else { return .error(.userExists) }
        logger.info("user registered", metadata: ["user": "\(user)"])
        return .ok("REGISTERED \(user)")
    }

    /// `LOGIN <username> <password>` → `OK LOGGED_IN <username>` | `ERR AUTH_FAILED` | `ERR RATE_LIMITED <seconds>`
    /// | `ERR UNAVAILABLE busy`. The attempt counts against the limits before the password is checked (a name that
    /// cannot exist counts too, and is refused without a check), and takes a place in the password queue only once
    /// admitted; an admitted attempt that finds no place still counts.
    private mutating func login(_ user: Username?, _ password: Password?, at profile: KioskProfile)
        async throws(StoreError) -> Response
    {
        guard case .kiosk = phase else { return .error(.alreadyAuthenticated, "LOGOUT first") }
        let admission = try await services.users.admitLogin(
            user: user, kiosk: profile.id, limits: services.loginLimits,
            passwordChecksPerMinute: profile.passwordChecksPerMinute)
        if case .wait(let milliseconds) = admission {
            logger.notice("login rate limited", metadata: ["user": "\(user?.rawValue ?? "-")"])
            return Self.rateLimited(milliseconds)
        }
        guard let user, let password else { return .error(.authFailed) }
        let stored = try await services.users.passwordHash(of: user)
        let verified = await services.passwords.withPlace(for: profile.id) { place in
            try? await place.verify(password, against: stored)
        }
        guard let verified else { return Self.passwordsBusy }
        guard let matches = verified else { return .error(.internalError) }
        guard matches else {
            logger.notice("login failed", metadata: ["user": "\(user)"])
            return .error(.authFailed)
        }
        try await services.users.loginSucceeded(user: user, kiosk: profile.id)
        phase = .customer(profile, user, .none(lastEnded: nil))
        logger[metadataKey: "user"] = "\(user)"
        return .ok("LOGGED_IN \(user)")
    }

    /// `ERR RATE_LIMITED <seconds to wait>`.
    private static func rateLimited(_ milliseconds: Int) -> Response {
        .error(.rateLimited, String(seconds(milliseconds)))
    }

    /// Every place in the password worker's queue is taken.
    private static let passwordsBusy = Response.error(.unavailable, "busy")

    /// `LOGOUT` → `OK LOGGED_OUT`; an open session is closed first.
    private mutating func logout() async -> Response {
        await closeSession()
        if let profile = phase.kiosk { phase = .kiosk(profile) }
        logger[metadataKey: "user"] = nil
        return .ok("LOGGED_OUT")
    }

    // MARK: Browsing

    /// `SHOWS` → `ZONE <time-zone>` (when the programme names it), then per upcoming show
    /// `SHOW <show-id> <screen-id> <start> <duration-minutes> <title>` and `FREE <show-id> <n-free> <n-on-sale>`,
    /// then `OK <count>`. Every connection shares one count of free seats for up to a second (``FreeSeatsCache``).
    private func shows() async throws(StoreError) -> Response {
        let now = try await services.theatre.now()
        let shows = try await services.theatre.upcomingShows(after: now)
        let left: [ShowID: SeatsLeft]
        if let fresh = services.freeSeats.fresh(for: shows.map(\.id)) {
            left = fresh
        } else {
            left = try await services.bookings.seatsLeft(of: shows.map(\.id))
            services.freeSeats.keep(left)
        }
        var lines: [String] = []
        if let zone = try await services.theatre.timeZone(), Self.isZoneName(zone) { lines.append("ZONE \(zone)") }
        for show in shows {
            lines.append(
                Wire.sanitized("SHOW \(show.id) \(show.screenID) \(show.start) \(show.durationMinutes) \(show.title)"))
            if let seats = left[show.id] { lines.append("FREE \(show.id) \(seats.free) \(seats.onSale)") }
        }
        return .ok(String(shows.count), data: lines)
    }

    /// True for a time zone's IANA name, such as `Europe/Paris` or `Etc/GMT+1`: one token of letters, digits, `/`,
    /// `_`, `+` and `-`.
    private static func isZoneName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || "/_+-".utf8.contains(byte)
            }
    }

    /// `SEATS [<show-id>]` → `SEAT <seat-id> <state> <kind>` per seat on sale, then `OK <n-available> AVAILABLE`.
    private func seats(of show: ShowID, session: SessionID?) async throws(StoreError) -> Response {
        let map = try await services.bookings.seatMap(of: show, for: session)
        let (lines, available) = services.seatLines.lines(of: show, map)
        var response = Response.ok("\(available) AVAILABLE")
        response.encodedData = lines
        return response
    }

    /// `BOOKINGS` → `BOOKING <booking-id> <show-id> <start> <amount> <currency> <seat-id>...` per booking, each
    /// followed by `TICKET <booking-id> <ticket-code>` when it has one and by
    /// `TYPES <booking-id> <seat-id>=<type>:<price>...` when it recorded its seats' ticket types, then `OK <count>`.
    private func bookings(of user: Username) async throws(StoreError) -> Response {
        let bookings = try await services.users.bookings(of: user)
        var lines: [String] = []
        for booking in bookings {
            lines.append(
                Wire.sanitized(
                    "BOOKING \(booking.id) \(booking.show) \(booking.start) \(booking.amount) \(booking.currency) "
                        + Wire.list(booking.seats)))
            if let ticket = booking.ticket { lines.append("TICKET \(booking.id) \(ticket)") }
            if !booking.tickets.isEmpty {
                lines.append("TYPES \(booking.id) " + booking.tickets.map(\.text).joined(separator: " "))
            }
        }
        return .ok(String(bookings.count), data: lines)
    }

    /// `STATS` → `STAT <name> <value>` per figure of ``Statistics``, then `OK <count>`.
    private func stats() -> Response {
        let figures = services.statistics.figures()
        return .ok(String(figures.count), data: figures.map { "STAT \($0.name) \($0.value)" })
    }

    // MARK: Booking session

    /// `START <show-id>` → `OK SESSION <session-id> <show-id>` | `ERR UNKNOWN_SHOW` | `ERR SHOW_STARTED`
    /// | `ERR SESSION_OPEN` | `ERR RATE_LIMITED <seconds>`. The customer's session left open elsewhere is closed.
    private mutating func start(_ show: ShowID, user: Username, profile: KioskProfile) async throws(StoreError)
        -> Response
    {
        guard phase.session == nil else { return .error(.sessionOpen) }
        let id = SessionID(RandomToken.hex(byteCount: 10))!
        let admission = try await services.bookings.admitStart(
            user: user, kiosk: profile.id, session: id, policy: profile.policy)
        if case .wait(let milliseconds) = admission {
            logger.notice("START rate limited")
            return Self.rateLimited(milliseconds)
        }
        let (ref, millisecondsLeft): (SessionRef, Int)
        do {
            (ref, millisecondsLeft) = try await services.bookings.start(
                show: show, user: user, kiosk: profile.id, policy: profile.policy, id: id,
                lastEnded: phase.lastEndedSession)
        } catch {
            try? await services.bookings.forgetStarted(id, kiosk: profile.id)
            throw error
        }
        phase.setSession(OpenSession(ref: ref, seats: []))
        services.statistics.sessionStarted()
        timer.schedule(ref.id, inMilliseconds: millisecondsLeft)
        logger.info("session started", metadata: ["session": "\(ref.id)", "show": "\(show)"])
        return .ok("SESSION \(ref.id) \(show)")
    }

    /// `RESUME <session-id> [<show-id>]` → `OK RESUMED <session-id> <show-id> HELD [<seats>] EXPIRES <seconds-left>`
    /// | `ERR NO_SESSION [PAYING|BOOKED]` | `ERR SESSION_EXPIRED` | `ERR SESSION_OPEN`: after a reconnect, the same
    /// customer at the same kiosk takes back a live session.
    private mutating func resume(_ id: SessionID, show: ShowID?, user: Username, profile: KioskProfile)
        async throws(StoreError) -> Response
    {
        guard phase.session == nil else { return .error(.sessionOpen) }
        let (ref, selection) = try await services.bookings.resume(id, show: show, user: user, kiosk: profile.id)
        phase.setSession(OpenSession(ref: ref, seats: selection.seats))
        services.statistics.sessionResumed()
        timer.schedule(ref.id, inMilliseconds: selection.millisecondsLeft)
        logger.info("session resumed", metadata: ["session": "\(ref.id)", "show": "\(ref.show)"])
        return .ok(
            "RESUMED \(ref.id) \(ref.show) HELD \(Self.heldList(selection.seats))"
                + "EXPIRES \(Self.seconds(selection.millisecondsLeft))")
    }

    /// `HOLD <seat-id>...` → `OK HELD <seats held> EXPIRES <seconds-left>` | `ERR SEATS_UNAVAILABLE <seats>`
    /// | `ERR UNKNOWN_SEAT <seat>` | `ERR SEAT_LIMIT <max>` | `ERR SESSION_EXPIRED` | `ERR NO_SESSION`.
    mutating func hold(_ seats: [SeatID], in session: OpenSession, policy: SessionPolicy)
        async throws(StoreError) -> Response
    {
        let selection = try await sessionStep(session) { [services] () throws(StoreError) in
            try await services.bookings.hold(session.ref, seats: seats, policy: policy)
        }
        services.statistics.held(seats: Set(selection.seats).subtracting(session.seats).count)
        return .ok("HELD \(Self.heldList(selection.seats))EXPIRES \(Self.seconds(selection.millisecondsLeft))")
    }

    /// `RELEASE <seat-id>...` → `OK HELD <seats still held>` | `ERR NOT_HELD <seats>` | `ERR NO_SESSION`.
    private mutating func release(_ seats: [SeatID], in session: OpenSession) async throws(StoreError) -> Response {
        let selection = try await sessionStep(session) { [services] () throws(StoreError) in
            try await services.bookings.release(session.ref, seats: seats)
        }
        services.statistics.released(seats: seats.count)
        return .ok("HELD" + (selection.seats.isEmpty ? "" : " \(Wire.list(selection.seats))"))
    }

    /// `CLOSE` → `OK CLOSED`: the session's seats are free at once.
    private mutating func close(_ session: OpenSession) async throws(StoreError) -> Response {
        let outcome = try await services.bookings.end(
            session.ref, believedHeld: session.seats, as: .closed, forgettingAt: phase.kiosk?.id)
        await endSession(endedInRedis: outcome == .ended || outcome == .notOpen, forgotten: true)
        guard outcome == .ended else { return .error(.noSession) }
        services.statistics.released(seats: session.seats.count)
        logger.info("session closed", metadata: ["session": "\(session.ref.id)"])
        return .ok("CLOSED")
    }

    /// `QUOTE [<kind>:<type>=<count>...]` → `ITEM <kind> <count> <unit-price> <subtotal>` per seat kind held (with
    /// ticket types: `ITEM <kind> <count> <unit-price> <subtotal> <type>` per kind and type), `VAT <basis-points>
    /// <amount>` when the show states a VAT rate, then `OK <total> <currency>` | `ERR SESSION_EXPIRED`
    /// | `ERR NO_SESSION` | the ticket refusals (`ERR UNKNOWN_TICKET_TYPE` ...). Amounts are in minor units.
    private mutating func quote(_ session: OpenSession, tickets: TicketChoice) async throws(StoreError) -> Response {
        let quote: Quote
        do {
            quote = try await services.bookings.quote(session.ref, tickets: tickets)
        } catch StoreError.rejected(.sessionExpired) {
            await expireNow(session)
            return .error(.sessionExpired)
        } catch StoreError.rejected(.noSession) {  // ended, or paying from another connection
            await endSession()
            return .error(.noSession)
        }
        let items = quote.items.map { item in
            "ITEM \(item.kind.rawValue) \(item.count) \(item.unitPrice) \(item.subtotal)"
                + (tickets.entries.isEmpty ? "" : " \(item.ticketType)")
        }
        return .ok(
            "\(quote.total) \(quote.currency)",
            data: items + (quote.vat.map { ["VAT \($0.basisPoints) \($0.amount)"] } ?? []))
    }

    /// `PAY <payment-token> [<amount> <currency> [<kind>:<type>=<count>...]]` → `TICKET <booking-id> <ticket-code>`,
    /// then `OK BOOKED <booking-id> <show-id> <seat-id>...` | `ERR PAYMENT_FAILED <reason> <attempts-left>`
    /// | `ERR NOTHING_HELD` | `ERR SESSION_EXPIRED` | `ERR HOLD_LOST` | `ERR PRICE_CHANGED <amount> <currency>`
    /// | the ticket refusals (`ERR TICKET_COUNT` ...).
    private mutating func pay(
        _ tokenText: String, shown: ShownTotal?, tickets: TicketChoice, in session: OpenSession, user: Username,
        policy: SessionPolicy
    ) async throws(StoreError) -> Response {
        guard let token = PaymentToken(tokenText) else {
            return .error(.badRequest, "payment tokens are 1-64 of A-Z a-z 0-9 _")
        }
        let checkout = Checkout(services: services, logger: logger)
        let outcome: Checkout.Outcome
        do {
            outcome = try await checkout.pay(
                session.ref, user: user, believedHeld: session.seats, token: token,
                shown: shown.map { ($0.minorUnits, $0.currency) }, tickets: tickets, policy: policy)
        } catch StoreError.rejected(.nothingHeld) {
            return .error(.nothingHeld)
        } catch StoreError.rejected(.showStarted) {
            return .error(.showStarted)
        } catch StoreError.rejected(.sessionExpired) {
            await expireNow(session)
            return .error(.sessionExpired)
        } catch StoreError.rejected(.holdLost) {
            services.statistics.holdLost()
            await closeSession()  // frees whatever the session still holds
            return .error(.holdLost)
        } catch StoreError.rejected(.noSession) {  // ended, or paying from another connection
            await endSession()
            return .error(.noSession)
        }
        // Any other failure (Redis unreachable part way) propagates with the session kept: the scripts know where
        // it stands, a later command gets the truth, and a payment left PAYING is settled by the reconciler.
        switch outcome {
        case .booked(let booking, let seats, let ticket):
            await endSession(endedInRedis: true)
            return .ok(
                "BOOKED \(booking) \(session.ref.show) \(Wire.list(seats))", data: ["TICKET \(booking) \(ticket)"])
        case .declined(let reason, let attemptsLeft, let reopened):
            if let reopened {
                phase.setSession(OpenSession(ref: session.ref, seats: reopened.seats))
                timer.schedule(session.ref.id, inMilliseconds: reopened.millisecondsLeft)
            } else {
                services.statistics.released(seats: session.seats.count)
                await endSession(endedInRedis: true)
            }
            return .error(WireError(.paymentFailed(reason: reason, attemptsLeft: attemptsLeft)))
        case .gatewayUnavailable:
            await endSession()
            return .error(.unavailable, "payment not completed; nothing will be charged")
        case .notYetDurable:
            await endSession()
            return .error(.unavailable, "payment not settled yet; BOOKINGS shows the outcome")
        }
    }

    // MARK: Helpers

    /// Runs a HOLD or RELEASE and keeps the connection's view of the session in step with Redis's.
    mutating func sessionStep(_ session: OpenSession, _ step: () async throws(StoreError) -> Selection)
        async throws(StoreError) -> Selection
    {
        do {
            let selection = try await step()
            phase.setSession(OpenSession(ref: session.ref, seats: selection.seats))
            timer.schedule(session.ref.id, inMilliseconds: selection.millisecondsLeft)
            return selection
        } catch StoreError.rejected(.sessionExpired) {
            await expireNow(session)
            throw .rejected(.sessionExpired)
        } catch StoreError.rejected(.noSession) {  // ended, or paying from another connection
            await endSession()
            throw .rejected(.noSession)
        }
    }

    /// Ends a session whose deadline Redis says has passed, freeing its seats at once.
    private mutating func expireNow(_ session: OpenSession) async {
        _ = try? await services.bookings.end(session.ref, believedHeld: session.seats, as: .expired)
        await endSession(expired: true)
    }

    /// Forgets the open session, whose end Redis has recorded, and takes it out of the kiosk's open sessions.
    /// - Parameters:
    ///   - expired: true when it ended because its deadline passed.
    ///   - endedInRedis: true when a reply of Redis said so (not only a call that may have failed): the next START
    ///     then takes it for the session the customer's pointer names, already ended.
    ///   - forgotten: true when the call that ended it took it out of the kiosk's open sessions already.
    private mutating func endSession(expired: Bool = false, endedInRedis: Bool = false, forgotten: Bool = false) async {
        timer.cancel()
        guard let session = phase.session else { return }
        services.statistics.sessionEnded(expired: expired)
        phase.sessionEnded(endedInRedis ? session.ref : nil)
        if !forgotten, let kiosk = phase.kiosk {
            try? await services.bookings.forgetStarted(session.ref.id, kiosk: kiosk.id)
        }
    }

    /// The latency group a request counts in besides `all`.
    private static func timing(of request: Request) -> Statistics.Timing? {
        switch request {
        case .seats: .seats
        case .hold: .hold
        case .pay: .pay
        default: nil
        }
    }

    private func failure(_ error: StoreError) -> Response {
        switch error {
        case .rejected(let rule):
            return .error(WireError(rule))
        case .unavailable(let cause):
            logger.warning("Redis unavailable", metadata: ["error": "\(cause)"])
            return .error(.unavailable)
        case .unexpectedReply(let detail):
            logger.error("unexpected reply from Redis", metadata: ["detail": "\(detail)"])
            return .error(.internalError)
        }
    }

    static func heldList(_ seats: [SeatID]) -> String {
        seats.isEmpty ? "" : Wire.list(seats) + " "
    }

    static func seconds(_ milliseconds: Int) -> Int {
        (max(milliseconds, 0) + 999) / 1000
    }
}
