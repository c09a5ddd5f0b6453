import BoxOfficeCore
import Foundation

/// The kiosk as a value: which screen it shows, the customer's data, the connection's phase. ``handle(_:at:)``
/// takes one input and returns what the shell must do; it never does I/O and reads no clock.
public struct Kiosk: Sendable {
    /// Where the connection is.
    public enum Link: Hashable, Sendable {
        /// Connecting, or waiting to connect again.
        case connecting
        /// Connected; `KIOSK` sent.
        case identifying
        /// Identified (and, with a customer, logged in again).
        case ready
    }

    /// Seconds of silence on a ready connection after which the kiosk sends `PING`: well within the daemon's idle
    /// timeout (15 minutes by default).
    public static let pingInterval: Double = 60
    /// Seconds a `PING` may wait for its answer before the connection is taken for lost.
    public static let pingTimeout: Double = 10
    /// Seconds the "Still there?" warning stays up before an idle reset (at most half the idle time).
    public static let idleWarningSeconds: Double = 15
    /// Seconds between attempts to connect again once the daemon refused this kiosk's `KIOSK`.
    public static let refusedRetryDelay: Double = 30
    /// Seconds between questions about a payment in doubt (`BOOKINGS`, then `RESUME`) while the box office is still
    /// settling it.
    public static let paymentQuestionInterval: Double = 2
    /// Seconds from the loss of a `PAY`'s answer after which the kiosk stops waiting for the outcome and sends the
    /// customer to staff: the box office settles a payment within its grace period (60 s by default) and about 30 s
    /// more.
    public static let paymentDoubtLimit: Double = 120

    /// The kiosk's fixed settings.
    public let configuration: KioskConfiguration
    /// The time of the latest input.
    public internal(set) var now: Date
    /// Raised whenever earlier replies must be ignored: a new connection, an idle reset, a logout.
    public internal(set) var epoch = 0
    /// Where the connection is.
    public internal(set) var link: Link = .connecting
    /// True once the daemon refused this kiosk's `KIOSK` (an unknown kiosk or a wrong secret), until a `KIOSK`
    /// succeeds: staff must come, and no key press clears it.
    public internal(set) var refused = false
    /// The daemons to use in turn, and the wait before the next attempt.
    public internal(set) var daemons: DaemonRotation
    /// The screen shown.
    public internal(set) var screen: KioskScreen = .welcome(WelcomeForm())
    /// The message shown until the next key press.
    public internal(set) var notice: Notice?
    /// On My bookings: the booking chosen, and whether it is being cancelled.
    public internal(set) var bookingChoice = BookingChoice()
    /// The open booking session.
    public internal(set) var session: BookingSession?
    /// The logged-in customer's name.
    public internal(set) var customerName: String?
    /// How many times a customer was forgotten (idle reset, logout): plain mode scrolls the previous customer's
    /// words away whenever it grows.
    public internal(set) var resets = 0
    /// The password of the customer logged in now, kept only to log in again after a lost connection.
    var password: String?
    var loggedIn = false
    /// True between a reconnection's `KIOSK` and the end of its `LOGIN` and `RESUME`.
    var restoring = false
    /// True once a `LOGIN` answered `ALREADY_AUTHENTICATED` was sent again after a `LOGOUT`: no second retry.
    var loginRetried = false
    /// True while a `PAY` waits for its answer: a connection lost meanwhile leaves the payment in doubt.
    var payInFlight = false
    /// The shows `SHOWS` listed last.
    public internal(set) var listings: [ShowListing] = []
    /// The list of shows as the customer left it for a seat map: the day or film browsed comes back with it.
    var browsing: ShowList?
    /// The theatre's time zone, once `SHOWS` named it (`ZONE`).
    public internal(set) var theatreZone: TimeZone?
    /// True once a daemon accepted this kiosk's `KIOSK`: until then the kiosk is connecting, not reconnecting.
    public internal(set) var hasConnected = false
    /// The shows' prices learned from `PRICES`, by show id.
    public internal(set) var prices: [String: PriceTable] = [:]
    /// Screen names learned from `LAYOUT`, by screen id.
    public internal(set) var screenNames: [String: String] = [:]
    /// False once the daemon answered `LAYOUT` with `UNKNOWN_COMMAND`: the map is built from `SEATS` instead.
    var layoutSupported = true
    var watching = false
    /// The seats held when `EVENT LAYOUT` said the theatre changed the show, until the next `SEATS` answers.
    var layoutChangedUnder: Set<SeatID>?
    var lastKeyAt: Date
    var lastSentAt: Date
    /// When the unanswered `PING` was sent.
    var pingSentAt: Date?

    /// A kiosk on the welcome screen, not connected yet.
    public init(configuration: KioskConfiguration, now: Date) {
        self.configuration = configuration
        self.now = now
        daemons = DaemonRotation(configuration.daemons)
        lastKeyAt = now
        lastSentAt = now
    }

    /// True when anything of a customer is in memory.
    public var hasCustomerData: Bool {
        if customerName != nil || password != nil || session != nil || !listings.isEmpty { return true }
        if case .welcome(let form) = screen { return form != WelcomeForm() }
        return true
    }

    /// The seconds the session has left, when a HOLD set its deadline.
    public var secondsLeft: Int? {
        guard let expiresAt = session?.expiresAt else { return nil }
        return max(0, Int(expiresAt.timeIntervalSince(now).rounded(.up)))
    }

    /// The zone every time is shown in: the theatre's, or the kiosk's own until the box office names the theatre's.
    public var timeZone: TimeZone { theatreZone ?? configuration.timeZone }

    /// Seconds left before the idle reset while the "Still there?" warning is up (the last
    /// ``idleWarningSeconds`` of the idle time, when there is a customer to forget); nil otherwise.
    public var idleResetIn: Int? {
        guard hasCustomerData, !refused else { return nil }
        if case .paymentInDoubt(let doubt) = screen, doubt.stage != .gaveUp { return nil }
        let warning = min(Self.idleWarningSeconds, configuration.idleResetSeconds / 2)
        let left = configuration.idleResetSeconds - now.timeIntervalSince(lastKeyAt)
        guard left <= warning else { return nil }
        return max(0, Int(left.rounded(.up)))
    }

    /// The "Still there?" warning's words: what an idle reset would throw away, and when.
    public var stillThereWords: String? {
        guard let seconds = idleResetIn else { return nil }
        let seats = currentMap.map { !$0.mine.isEmpty } == true ? ", and your held seats will be released" : ""
        return "Still there? Press any key to carry on. In \(seconds) s we start again for the next customer\(seats)."
    }

    /// The message to show: the sticky one of a refused kiosk, else the notice.
    public var shownNotice: Notice? { refused ? Self.refusedNotice : notice }

    /// The show with id `id`, if listed.
    public func listing(_ id: String) -> ShowListing? { listings.first { $0.id == id } }

    /// True when the shell should not echo what is typed (plain mode's password prompt).
    public var wantsSecretInput: Bool {
        if case .welcome(let form) = screen { return form.step == .password }
        return false
    }

    // MARK: Inputs

    /// Takes one input at time `now`; returns what the shell must do, in order.
    public mutating func handle(_ input: KioskInput, at now: Date) -> [KioskAction] {
        self.now = now
        switch input {
        case .key(let key):
            let warned = idleResetIn != nil
            lastKeyAt = now
            if key == .interrupt { return [.quit] }
            // A key that answers "Still there?" keeps the customer and does nothing else.
            if warned { return [] }
            notice = nil
            return handleKey(key)
        case .line(let line):
            let warned = idleResetIn != nil
            lastKeyAt = now
            if warned { return [] }
            notice = nil
            return handleLine(line.trimmingCharacters(in: .whitespaces))
        case .connected:
            link = .identifying
            return [send(.kiosk(id: configuration.kioskID, secret: configuration.secret))]
        case .disconnected:
            return connectionLost()
        case .reply(let request, let reply):
            // The PING's answer proves the connection alive, whatever the epoch.
            if request.command == .ping { pingSentAt = nil }
            guard request.epoch == epoch else { return [] }
            return handleReply(request.command, reply)
        case .event(let line):
            return handleEvent(line)
        case .tick:
            if let pingSentAt, now.timeIntervalSince(pingSentAt) >= Self.pingTimeout { return connectionLost() }
            if case .paymentInDoubt(let doubt) = screen, doubt.stage != .gaveUp {
                // Waiting for a payment's outcome is not idleness: the idle clock starts when the outcome is shown.
                lastKeyAt = now
                return paymentDoubtTicked(doubt)
            }
            if hasCustomerData, now.timeIntervalSince(lastKeyAt) >= configuration.idleResetSeconds {
                return reset(notice: nil)
            }
            if link == .ready, pingSentAt == nil, now.timeIntervalSince(lastSentAt) >= Self.pingInterval {
                pingSentAt = now
                return [send(.ping)]
            }
            return []
        case .printFailed:
            notice = Self.notPrinted
            return []
        }
    }

    mutating func send(_ command: KioskCommand) -> KioskAction {
        lastSentAt = now
        return .send(Request(command, epoch: epoch))
    }

    /// The connection is gone (closed, refused, silent, shut down) or of no use: forgets what was in flight and
    /// connects to the next daemon, at once or after the backoff (see ``DaemonRotation``), and never sooner than
    /// `minimumDelay` seconds; a refused kiosk waits ``refusedRetryDelay``. Once there, the kiosk identifies, logs
    /// the customer in again and resumes the session.
    mutating func connectionLost(waitingAtLeast minimumDelay: Double = 0) -> [KioskAction] {
        if payInFlight { paymentAnswerLost() }
        epoch += 1
        link = .connecting
        watching = false
        pingSentAt = nil
        let backoff = daemons.failed()
        clearBusy()
        return [.reconnect(to: daemons.current, after: max(minimumDelay, refused ? Self.refusedRetryDelay : backoff))]
    }

    /// Forgets the customer: closes the session and logs out (when connected), back to an empty welcome screen.
    /// `LOGOUT` goes whenever the link is ready, logged in or not: a `LOGIN` may be in flight, and `LOGOUT` is
    /// harmless without a customer.
    mutating func reset(notice: Notice?) -> [KioskAction] {
        var actions: [KioskAction] = []
        if link == .ready {
            if session != nil { actions.append(send(.close)) }
            if watching { actions.append(send(.unwatch)) }
            actions.append(send(.logout))
        }
        epoch += 1
        resets += 1
        customerName = nil
        password = nil
        loggedIn = false
        restoring = false
        loginRetried = false
        payInFlight = false
        session = nil
        watching = false
        listings = []
        browsing = nil
        prices = [:]
        screen = .welcome(WelcomeForm())
        self.notice = notice
        return actions
    }

    mutating func clearBusy() {
        switch screen {
        case .welcome(var form):
            form.busy = false
            screen = .welcome(form)
        case .shows(var list):
            list.starting = false
            list.detailsAwaited = 0
            screen = .shows(list)
        case .seats(var seats):
            seats.awaiting = 0
            screen = .seats(seats)
        case .payment(var form):
            // The QUOTE of a new price, lost with the connection: the form shows the total it had, no longer said to
            // be the new one; a PAY of it is refused again if it is out of date.
            if form.busy { form.priceChangedFrom = nil }
            form.busy = false
            screen = .payment(form)
        case .paymentInDoubt(var doubt):
            // The question out was lost: it is asked again once the customer is logged in again.
            doubt.nextQuestionAt = nil
            screen = .paymentInDoubt(doubt)
        default: break
        }
    }

    // MARK: Going places

    /// Opens the list of shows on the day or film the customer browsed last, and reads it again.
    mutating func openShows() -> [KioskAction] {
        var list = browsing ?? ShowList()
        if case .shows(let shown) = screen { list = shown }
        list.loaded = false
        list.starting = false
        list.detailsAwaited = 0
        screen = .shows(list)
        return link == .ready ? [send(.shows)] : []
    }

    mutating func openBookings() -> [KioskAction] {
        screen = .bookings(.loading)
        bookingChoice = BookingChoice()
        return link == .ready ? [send(.bookings)] : []
    }

    /// What a customer who asked for something the box office must answer is told while the link is down: the
    /// kiosk's first connection is not a reconnection.
    var notConnectedNotice: Notice {
        Notice(
            hasConnected
                ? "Reconnecting... please try again in a moment." : "Connecting... please try again in a moment.",
            warning: true)
    }

    mutating func logout() -> [KioskAction] {
        reset(notice: Notice("You are logged out. Thank you!"))
    }

    mutating func startShow(_ showID: String) -> [KioskAction] {
        guard link == .ready else {
            notice = notConnectedNotice
            return []
        }
        return [send(.start(show: showID))]
    }

    mutating func leaveSeatMap() -> [KioskAction] {
        var actions: [KioskAction] = []
        if link == .ready {
            if session != nil { actions.append(send(.close)) }
            if watching { actions.append(send(.unwatch)) }
        }
        session = nil
        watching = false
        layoutChangedUnder = nil
        epoch += 1
        return actions + openShows()
    }

    /// Opens the seat map of `showID` for the open session: reads the layout and seats, and watches the show.
    mutating func loadSeatMap(_ showID: String) -> [KioskAction] {
        var map: SeatMap
        switch screen {
        case .seats(let seats) where seats.map.showID == showID: map = seats.map
        case .payment(let form) where form.map.showID == showID: map = form.map
        default: map = SeatMap(showID: showID)
        }
        map.mine = []
        map.unselected = []
        screen = .seats(SeatScreen(map: map))
        var actions: [KioskAction] = []
        if map.auditorium == nil, layoutSupported { actions.append(send(.layout(show: showID))) }
        // WATCH before SEATS: no change after the WATCH's reply is missed.
        actions.append(send(.watch(show: showID)))
        actions.append(send(.seats))
        watching = true
        return actions
    }

    /// The session ended on the server (expiry, a last declined payment, a lost hold): say why, and start anew
    /// on the same show's seat map.
    mutating func sessionEnded(_ message: String) -> [KioskAction] {
        guard let ended = session else { return [] }
        session = nil
        var map: SeatMap?
        switch screen {
        case .seats(let seats): map = seats.map
        case .payment(let form): map = form.map
        default: break
        }
        notice = Notice(message, warning: true)
        guard let map else { return [] }
        return startAgain(ended.showID, on: map)
    }

    /// Opens `map` afresh, without the customer's seats, and asks for a new session on `showID`.
    mutating func startAgain(_ showID: String, on map: SeatMap) -> [KioskAction] {
        var map = map
        for seat in map.mine { map.states[seat] = .available }
        map.mine = []
        map.unselected = []
        screen = .seats(SeatScreen(map: map))
        return link == .ready ? [send(.start(show: showID))] : []
    }

    // MARK: Words

    /// Said, and kept, while the daemon refuses this kiosk.
    public static let refusedNotice = Notice(
        "This kiosk cannot connect to the box office. Please call staff.", warning: true)
    /// Said when a key asks for a show before the list of shows is there.
    static let showsLoading = Notice("One moment, please: the shows are still loading.", warning: true)
    /// Said when a key asks for a seat before the seat map is there.
    static let seatsLoading = Notice("One moment, please: the seats are still loading.", warning: true)

    static func list(_ seats: [SeatID]) -> String { seats.sorted().map(\.description).joined(separator: " ") }

    /// A payment failure reason in plain words.
    public static func describePaymentFailure(_ reason: String) -> String {
        switch reason {
        case "DECLINED": "Your card was declined."
        case "INSUFFICIENT_FUNDS": "Your card was declined: insufficient funds."
        case "INVALID_TOKEN": "The card could not be read."
        case "UNAVAILABLE": "The card service could not be reached."
        default: "The payment was not accepted."
        }
    }

    /// `ERR RATE_LIMITED <seconds>` in plain words: how long to wait, when the daemon says.
    static func waitWords(_ reply: ServerReply) -> String {
        let words = reply.final.split(separator: " ")
        guard words.count == 3, let seconds = Int(words[2]), seconds > 0 else {
            return "Too many attempts. Please wait a few minutes."
        }
        if seconds < 60 { return "Too many attempts. Please try again in \(seconds) seconds." }
        return "Too many attempts. Please try again in \((seconds + 59) / 60) minutes."
    }

    /// Any other error, in plain words.
    static func describe(_ reply: ServerReply) -> String {
        switch reply.errorCode {
        case "UNAVAILABLE": "The box office is busy right now. Please try again in a moment."
        case "RATE_LIMITED": waitWords(reply)
        case "TOO_MANY_CHANGES": "You have changed your seats many times. Please go back and start again."
        default: "Something went wrong (\(reply.errorCode ?? reply.final)). Please try again or ask staff."
        }
    }
}
