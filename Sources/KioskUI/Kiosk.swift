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

    public let configuration: KioskConfiguration
    /// The time of the latest input.
    public private(set) var now: Date
    /// Raised whenever earlier replies must be ignored: a new connection, an idle reset, a logout.
    public private(set) var epoch = 0
    public private(set) var link: Link = .connecting
    /// The next reconnection delay, seconds: 0.5 doubling to 10.
    public private(set) var backoff = 0.5
    public private(set) var screen: KioskScreen = .welcome(WelcomeForm())
    public private(set) var notice: Notice?
    public private(set) var session: BookingSession?
    /// The logged-in customer's name.
    public private(set) var customerName: String?
    /// The password of the customer logged in now, kept only to log in again after a lost connection.
    private var password: String?
    private var loggedIn = false
    /// True between a reconnection's `KIOSK` and the end of its `LOGIN` and `RESUME`.
    private var restoring = false
    public private(set) var listings: [ShowListing] = []
    public private(set) var prices: [String: PriceTable] = [:]
    /// Screen names learned from `LAYOUT`, by screen id.
    public private(set) var screenNames: [String: String] = [:]
    /// False once the daemon answered `LAYOUT` with `UNKNOWN_COMMAND`: the map is built from `SEATS` instead.
    private var layoutSupported = true
    private var watching = false
    private var lastKeyAt: Date
    private var lastSentAt: Date

    /// A kiosk on the welcome screen, not connected yet.
    public init(configuration: KioskConfiguration, now: Date) {
        self.configuration = configuration
        self.now = now
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
            lastKeyAt = now
            if key == .interrupt { return [.quit] }
            notice = nil
            return handleKey(key)
        case .line(let line):
            lastKeyAt = now
            notice = nil
            return handleLine(line.trimmingCharacters(in: .whitespaces))
        case .connected:
            link = .identifying
            return [send(.kiosk(id: configuration.kioskID, secret: configuration.secret))]
        case .disconnected:
            return connectionLost()
        case .reply(let request, let reply):
            guard request.epoch == epoch else { return [] }
            return handleReply(request.command, reply)
        case .event(let line):
            return handleEvent(line)
        case .tick:
            if hasCustomerData, now.timeIntervalSince(lastKeyAt) >= configuration.idleResetSeconds {
                return reset(notice: nil)
            }
            if link == .ready, now.timeIntervalSince(lastSentAt) >= 60 { return [send(.ping)] }
            return []
        }
    }

    private mutating func send(_ command: KioskCommand) -> KioskAction {
        lastSentAt = now
        return .send(Request(command, epoch: epoch))
    }

    private mutating func connectionLost() -> [KioskAction] {
        epoch += 1
        link = .connecting
        watching = false
        let delay = backoff
        backoff = min(backoff * 2, 10)
        clearBusy()
        return [.reconnect(after: delay)]
    }

    /// Forgets the customer: closes the session and logs out (when connected), back to an empty welcome screen.
    private mutating func reset(notice: Notice?) -> [KioskAction] {
        var actions: [KioskAction] = []
        if link == .ready {
            if session != nil { actions.append(send(.close)) }
            if watching { actions.append(send(.unwatch)) }
            if loggedIn { actions.append(send(.logout)) }
        }
        epoch += 1
        customerName = nil
        password = nil
        loggedIn = false
        restoring = false
        session = nil
        watching = false
        listings = []
        prices = [:]
        screen = .welcome(WelcomeForm())
        self.notice = notice
        return actions
    }

    private mutating func clearBusy() {
        switch screen {
        case .welcome(var form):
            form.busy = false
            screen = .welcome(form)
        case .seats(var seats):
            seats.busy = false
            screen = .seats(seats)
        case .payment(var form):
            form.busy = false
            screen = .payment(form)
        default: break
        }
    }

    // MARK: Keys

    private mutating func handleKey(_ key: Key) -> [KioskAction] {
        switch screen {
        case .welcome(var form):
            guard !form.busy else { return [] }
            let actions = welcomeKey(key, &form)
            if case .welcome = screen { screen = .welcome(form) }
            return actions
        case .shows(let list):
            return showsKey(key, list)
        case .seats(var seats):
            let actions = seatsKey(key, &seats)
            if case .seats(let current) = screen, current.map.showID == seats.map.showID { screen = .seats(seats) }
            return actions
        case .payment(var form):
            guard !form.busy else { return [] }
            let actions = paymentKey(key, &form)
            if case .payment = screen { screen = .payment(form) }
            return actions
        case .ticket:
            switch key {
            case .enter: return openShows()
            case .character("m"): return openBookings()
            case .character("q"), .escape: return logout()
            default: return []
            }
        case .bookings:
            switch key {
            case .enter, .escape, .character("q"): return openShows()
            default: return []
            }
        }
    }

    private mutating func welcomeKey(_ key: Key, _ form: inout WelcomeForm) -> [KioskAction] {
        switch (form.step, key) {
        case (.choose, .up), (.choose, .down), (.choose, .tab):
            form.choice = 1 - form.choice
        case (.choose, .character("1")):
            form.choice = 0
            form.step = .name
        case (.choose, .character("2")):
            form.choice = 1
            form.step = .name
        case (.choose, .enter):
            form.step = .name
        case (.name, .character(let character)):
            let lower = Character(character.lowercased())
            if form.name.count < 32, lower.isASCII, lower.isLetter || lower.isNumber || "_.-".contains(lower) {
                form.name.append(lower)
            }
        case (.name, .backspace):
            _ = form.name.popLast()
        case (.name, .enter), (.name, .tab):
            if form.name.count >= 3 {
                form.step = .password
            } else {
                notice = Notice("A name has 3 to 32 letters, digits, dots, dashes or underscores.", warning: true)
            }
        case (.name, .escape):
            form = WelcomeForm()
        case (.password, .character(let character)):
            if form.password.utf8.count < 128, character != " ", !character.isNewline {
                form.password.append(character)
            }
        case (.password, .backspace):
            _ = form.password.popLast()
        case (.password, .escape), (.password, .tab):
            form.password = ""
            form.step = .name
        case (.password, .enter):
            return submitWelcome(&form)
        default:
            break
        }
        return []
    }

    private mutating func submitWelcome(_ form: inout WelcomeForm) -> [KioskAction] {
        if form.registering, form.password.utf8.count < 8 {
            notice = Notice("A password needs at least 8 characters and no spaces.", warning: true)
            return []
        }
        guard form.password.utf8.count >= 1 else { return [] }
        guard link == .ready else {
            notice = Notice("Reconnecting... please try again in a moment.", warning: true)
            return []
        }
        form.busy = true
        customerName = form.name
        password = form.password
        return [
            send(
                form.registering
                    ? .register(user: form.name, password: form.password)
                    : .login(user: form.name, password: form.password))
        ]
    }

    private mutating func showsKey(_ key: Key, _ list: ShowList) -> [KioskAction] {
        var list = list
        switch key {
        case .up: list.cursor = max(0, list.cursor - 1)
        case .down: list.cursor = min(max(0, list.shows.count - 1), list.cursor + 1)
        case .enter:
            // Before `SHOWS` answers the customer sees no list, so there is nothing to pick yet: say so.
            guard list.loaded else {
                notice = Self.showsLoading
                return []
            }
            guard list.shows.indices.contains(list.cursor) else { return [] }
            screen = .shows(list)
            return startShow(list.shows[list.cursor].id)
        case .character("m"): return openBookings()
        case .character("r"): return openShows()
        case .character("q"), .escape: return logout()
        default: return []
        }
        screen = .shows(list)
        return []
    }

    private mutating func seatsKey(_ key: Key, _ seats: inout SeatScreen) -> [KioskAction] {
        if let prompt = seats.prompt {
            return promptKey(key, prompt, &seats)
        }
        guard seats.map.isLoaded else {
            // Until `LAYOUT` and `SEATS` answered, every seat would look taken: a seat key must not be spent on it.
            if key == .escape || key == .character("q") { return leaveSeatMap() }
            notice = Self.seatsLoading
            return []
        }
        guard !seats.busy else {
            if key == .escape || key == .character("q") { return leaveSeatMap() }
            return []
        }
        switch key {
        case .up: seats.map.move(rows: -1, places: 0)
        case .down: seats.map.move(rows: 1, places: 0)
        case .left: seats.map.move(rows: 0, places: -1)
        case .right: seats.map.move(rows: 0, places: 1)
        case .character(" "):
            if let problem = seats.map.toggle() { notice = Notice(problem, warning: true) }
        case .enter:
            return commitSeats(&seats)
        case .character("b"):
            seats.prompt = .best("")
        case .character("/"):
            seats.prompt = .find("")
        case .character("q"), .escape:
            return leaveSeatMap()
        case .character(let character) where character.isASCII && character.isLetter:
            seats.prompt = .find(character.uppercased())
        default:
            break
        }
        return []
    }

    private mutating func promptKey(_ key: Key, _ prompt: SeatPrompt, _ seats: inout SeatScreen) -> [KioskAction] {
        switch (prompt, key) {
        case (_, .escape):
            seats.prompt = nil
        case (.find(let text), .character(let character))
        where character.isASCII && (character.isLetter || character.isNumber) && text.count < 5:
            seats.prompt = .find(text + character.uppercased())
        case (.best(let text), .character(let character))
        where character.isASCII && character.isNumber && text.count < 2:
            seats.prompt = .best(text + String(character))
        case (.find(let text), .backspace):
            seats.prompt = text.isEmpty ? nil : .find(String(text.dropLast()))
        case (.best(let text), .backspace):
            seats.prompt = text.isEmpty ? nil : .best(String(text.dropLast()))
        case (.find(let text), .enter):
            seats.prompt = nil
            if let id = SeatID(text), seats.map.jump(to: id) { return [] }
            notice = Notice("There is no seat \(text) in this auditorium.", warning: true)
        case (.best(let text), .enter):
            seats.prompt = nil
            guard let count = Int(text), count > 0 else { return [] }
            return askBest(count, &seats)
        default:
            break
        }
        return []
    }

    private mutating func askBest(_ count: Int, _ seats: inout SeatScreen) -> [KioskAction] {
        guard session != nil, link == .ready else {
            notice = Notice("One moment, please...", warning: true)
            return []
        }
        seats.busy = true
        return [send(.best(count))]
    }

    private mutating func commitSeats(_ seats: inout SeatScreen) -> [KioskAction] {
        guard session != nil, link == .ready else {
            notice = Notice("One moment, please...", warning: true)
            return []
        }
        if seats.map.hasPendingChanges {
            var actions: [KioskAction] = []
            if !seats.map.unselected.isEmpty { actions.append(send(.release(Array(seats.map.unselected)))) }
            if !seats.map.selection.isEmpty { actions.append(send(.hold(Array(seats.map.selection)))) }
            seats.busy = true
            return actions
        }
        if seats.map.mine.isEmpty {
            notice = Notice(
                "Choose seats first: move with the arrow keys and press Space, or press b for the best seats.")
            return []
        }
        seats.busy = true
        return [send(.quote)]
    }

    private mutating func paymentKey(_ key: Key, _ form: inout PaymentForm) -> [KioskAction] {
        let tokens = KioskConfiguration.demoTokens
        switch key {
        case .escape:
            screen = .seats(SeatScreen(map: form.map))
            return []
        case .up where configuration.demo: form.tokenIndex = max(0, form.tokenIndex - 1)
        case .down where configuration.demo: form.tokenIndex = min(tokens.count - 1, form.tokenIndex + 1)
        case .character(let character) where configuration.demo:
            if let digit = character.wholeNumberValue, (1...tokens.count).contains(digit) {
                form.tokenIndex = digit - 1
            }
        case .character(let character):
            if form.typed.count < 64, character.isASCII, character.isLetter || character.isNumber || character == "_" {
                form.typed.append(character)
            }
        case .backspace: _ = form.typed.popLast()
        case .enter:
            let token = configuration.demo ? tokens[form.tokenIndex].token : form.typed
            guard !token.isEmpty, link == .ready else { return [] }
            form.busy = true
            form.declined = nil
            return [send(.pay(token: token))]
        default: break
        }
        return []
    }

    // MARK: Lines (plain mode)

    private mutating func handleLine(_ line: String) -> [KioskAction] {
        let lower = line.lowercased()
        switch screen {
        case .welcome(var form):
            guard !form.busy else { return [] }
            switch form.step {
            case .choose:
                if lower == "1" || lower == "2" { return handleKey(.character(Character(lower))) }
                notice = Notice("Please answer 1 or 2.", warning: true)
                return []
            case .name:
                form.name = ""
                for character in lower { _ = welcomeKey(.character(character), &form) }
                screen = .welcome(form)
                return handleKey(.enter)
            case .password:
                form.password = line
                screen = .welcome(form)
                return handleKey(.enter)
            }
        case .shows(var list):
            if lower == "m" { return openBookings() }
            if lower == "q" { return logout() }
            guard list.loaded else {
                notice = Self.showsLoading
                return []
            }
            if let number = Int(line), list.shows.indices.contains(number - 1) {
                list.cursor = number - 1
                screen = .shows(list)
                return startShow(list.shows[number - 1].id)
            }
            notice = Notice("Please answer with a show's number, m or q.", warning: true)
            return []
        case .seats(var seats):
            guard !seats.busy else { return [] }
            guard seats.map.isLoaded || lower == "q" else {
                notice = Self.seatsLoading
                return []
            }
            let words = lower.split(separator: " ")
            var actions: [KioskAction] = []
            if lower == "q" {
                return leaveSeatMap()
            } else if lower == "p" || lower == "pay" || lower.isEmpty {
                actions = commitSeats(&seats)
            } else if words.first == "b" || words.first == "best", words.count == 2, let count = Int(words[1]) {
                actions = askBest(count, &seats)
            } else {
                let ids = line.uppercased().split(separator: " ").map { SeatID($0) }
                guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
                    notice = Notice("Please type seat names such as F12 F13, b 2, p or q.", warning: true)
                    return []
                }
                seats.map.selection = Set(ids.compactMap { $0 }).subtracting(seats.map.mine)
                actions = commitSeats(&seats)
            }
            if case .seats = screen { screen = .seats(seats) }
            return actions
        case .payment(var form):
            guard !form.busy else { return [] }
            if lower == "q" { return handleKey(.escape) }
            if configuration.demo, let number = Int(line), (1...KioskConfiguration.demoTokens.count).contains(number) {
                form.tokenIndex = number - 1
            } else if configuration.demo {
                notice = Notice("Please answer with a card's number, or q.", warning: true)
                return []
            } else {
                form.typed = line
            }
            screen = .payment(form)
            return handleKey(.enter)
        case .ticket, .bookings:
            if lower == "m" { return openBookings() }
            if lower == "q" { return logout() }
            return openShows()
        }
    }

    // MARK: Going places

    private mutating func openShows() -> [KioskAction] {
        if case .shows(var list) = screen {
            list.loaded = false
            screen = .shows(list)
        } else {
            screen = .shows(ShowList())
        }
        return link == .ready ? [send(.shows)] : []
    }

    private mutating func openBookings() -> [KioskAction] {
        screen = .bookings(nil)
        return link == .ready ? [send(.bookings)] : []
    }

    private mutating func logout() -> [KioskAction] {
        reset(notice: Notice("You are logged out. Thank you!"))
    }

    private mutating func startShow(_ showID: String) -> [KioskAction] {
        guard link == .ready else {
            notice = Notice("Reconnecting... please try again in a moment.", warning: true)
            return []
        }
        return [send(.start(show: showID))]
    }

    private mutating func leaveSeatMap() -> [KioskAction] {
        var actions: [KioskAction] = []
        if link == .ready {
            if session != nil { actions.append(send(.close)) }
            if watching { actions.append(send(.unwatch)) }
        }
        session = nil
        watching = false
        epoch += 1
        return actions + openShows()
    }

    /// Opens the seat map of `showID` for the open session: reads the layout and seats, and watches the show.
    private mutating func loadSeatMap(_ showID: String) -> [KioskAction] {
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
        actions.append(send(.seats(show: nil)))
        watching = true
        return actions
    }

    /// The session ended on the server (expiry, a last declined payment, a lost hold): say why, and start anew
    /// on the same show's seat map.
    private mutating func sessionEnded(_ message: String) -> [KioskAction] {
        guard let ended = session else { return [] }
        session = nil
        notice = Notice(message, warning: true)
        var map: SeatMap?
        switch screen {
        case .seats(let seats): map = seats.map
        case .payment(let form): map = form.map
        default: break
        }
        guard var map else { return [] }
        for seat in map.mine { map.states[seat] = .available }
        map.mine = []
        map.unselected = []
        screen = .seats(SeatScreen(map: map))
        return link == .ready ? [send(.start(show: ended.showID))] : []
    }

    // MARK: Replies

    private mutating func handleReply(_ command: KioskCommand, _ reply: ServerReply) -> [KioskAction] {
        switch command {
        case .kiosk:
            guard reply.isOK else {
                notice = Notice(
                    "This kiosk cannot connect to the box office (\(reply.final)). Please call staff.", warning: true)
                return []
            }
            link = .ready
            backoff = 0.5
            if loggedIn || password != nil, let customerName, let password {
                restoring = true
                return [send(.login(user: customerName, password: password))]
            }
            clearBusy()
            return []
        case .register(let user, let password):
            guard reply.isOK else { return welcomeFailed(reply) }
            return [send(.login(user: user, password: password))]
        case .login:
            return loginAnswered(reply)
        case .logout, .close, .unwatch, .watch, .ping:
            return []
        case .shows:
            return showsAnswered(reply)
        case .prices(let show):
            if let table = PriceTable(reply: reply) { prices[show] = table }
            return []
        case .start(let show):
            return startAnswered(show, reply)
        case .resume:
            return resumeAnswered(reply)
        case .layout(let show):
            return layoutAnswered(show, reply)
        case .seats:
            return seatsAnswered(reply)
        case .hold, .best, .release:
            return holdAnswered(command, reply)
        case .quote:
            return quoteAnswered(reply)
        case .pay:
            return payAnswered(reply)
        case .bookings:
            guard case .bookings = screen else { return [] }
            screen = .bookings(reply.data.compactMap { Booking(line: $0) })
            return []
        }
    }

    private mutating func welcomeFailed(_ reply: ServerReply) -> [KioskAction] {
        guard case .welcome(var form) = screen else { return [] }
        form.busy = false
        customerName = nil
        password = nil
        let words: String
        switch reply.errorCode {
        case "AUTH_FAILED":
            words = "That name and password do not match an account. Please try again."
            form.password = ""
        case "USER_EXISTS":
            words = "That name is already taken. Choose another, or log in."
            form.step = .name
        case "INVALID_USERNAME":
            words = "A name has 3 to 32 lower-case letters, digits, dots, dashes or underscores."
            form.step = .name
        case "WEAK_PASSWORD":
            words = "A password needs 8 to 128 characters and no spaces."
            form.password = ""
        case "RATE_LIMITED":
            words = "Too many attempts. Please wait a few minutes, or ask staff."
            form.password = ""
        default:
            words = Self.describe(reply)
        }
        notice = Notice(words, warning: true)
        screen = .welcome(form)
        return []
    }

    private mutating func loginAnswered(_ reply: ServerReply) -> [KioskAction] {
        if restoring {
            restoring = false
            guard reply.isOK else { return reset(notice: Notice("Please log in again.", warning: true)) }
            loggedIn = true
            if let session { return [send(.resume(session: session.id))] }
            return refreshScreen()
        }
        guard reply.isOK else { return welcomeFailed(reply) }
        loggedIn = true
        return openShows()
    }

    /// Reads again what the current screen shows, after the connection came back.
    private mutating func refreshScreen() -> [KioskAction] {
        clearBusy()
        switch screen {
        case .welcome, .ticket: return []
        case .shows: return openShows()
        case .bookings: return openBookings()
        case .seats(let seats):
            if session == nil { return [send(.start(show: seats.map.showID))] }
            return loadSeatMap(seats.map.showID)
        case .payment(let form):
            if session == nil { return [send(.start(show: form.map.showID))] }
            return [send(.watch(show: form.map.showID))]
        }
    }

    private mutating func showsAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard case .shows(var list) = screen else { return [] }
        listings = reply.data.compactMap { ShowListing(line: $0) }
        let (day, today) = Self.todaysShows(listings, now: now, timeZone: configuration.timeZone)
        let firstShowOfFilm = Dictionary(today.map { ($0.title, $0.start) }, uniquingKeysWith: min)
        list.shows = today.sorted {
            let first = (firstShowOfFilm[$0.title]!, $0.title, $0.start)
            let second = (firstShowOfFilm[$1.title]!, $1.title, $1.start)
            return first < second
        }
        list.day = day
        list.loaded = true
        if notice == Self.showsLoading { notice = nil }
        list.cursor = min(list.cursor, max(0, list.shows.count - 1))
        screen = .shows(list)
        var actions = list.shows.filter { prices[$0.id] == nil }.map { send(.prices(show: $0.id)) }
        if layoutSupported {
            var asked: Set<String> = []
            for show in list.shows where screenNames[show.screenID] == nil && asked.insert(show.screenID).inserted {
                actions.append(send(.layout(show: show.id)))
            }
        }
        return actions
    }

    /// The shows on the local day of `now`; when none are left today, those of the next day with shows.
    public static func todaysShows(_ listings: [ShowListing], now: Date, timeZone: TimeZone) -> (Date?, [ShowListing]) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let upcoming = listings.filter { $0.start > now }.sorted { $0.start < $1.start }
        let today = calendar.startOfDay(for: now)
        let day = upcoming.first.map { calendar.startOfDay(for: $0.start) } ?? today
        return (day, upcoming.filter { calendar.startOfDay(for: $0.start) == day })
    }

    private mutating func startAnswered(_ show: String, _ reply: ServerReply) -> [KioskAction] {
        let words = reply.words
        if reply.isOK, words.count >= 3, words[0] == "SESSION" {
            session = BookingSession(id: words[1], showID: show, expiresAt: nil)
            switch screen {
            case .shows, .seats, .payment: return loadSeatMap(show)
            default:
                // The customer left meanwhile: let the session go.
                session = nil
                return [send(.close)]
            }
        }
        switch reply.errorCode {
        case "SESSION_OPEN":
            return [send(.close), send(.start(show: show))]
        case "SHOW_STARTED":
            notice = Notice(
                "This show has already started, so tickets are no longer sold. Please choose another.", warning: true)
        case "UNKNOWN_SHOW":
            notice = Notice("This show is no longer on sale. Please choose another.", warning: true)
        default:
            notice = Notice(Self.describe(reply), warning: true)
        }
        if case .shows = screen { return [send(.shows)] }
        return leaveSeatMap()
    }

    private mutating func resumeAnswered(_ reply: ServerReply) -> [KioskAction] {
        let words = reply.words
        if reply.isOK, words.count >= 4, words[0] == "RESUMED", let expiresIndex = words.firstIndex(of: "EXPIRES") {
            let held = words[4..<expiresIndex].compactMap { SeatID($0) }
            let seconds = expiresIndex + 1 < words.count ? Double(words[expiresIndex + 1]) : nil
            session = BookingSession(
                id: words[1], showID: words[2], expiresAt: seconds.map { now.addingTimeInterval($0) })
            switch screen {
            case .seats(var seats):
                seats.map.held(held)
                seats.busy = false
                screen = .seats(seats)
                return loadSeatMapKeepingHolds()
            case .payment(var form):
                form.map.held(held)
                form.busy = false
                screen = .payment(form)
                return [send(.watch(show: form.map.showID))]
            default:
                return refreshScreen()
            }
        }
        if session != nil {
            return sessionEnded("Your seats were released while the kiosk was offline. Please choose again.")
        }
        return refreshScreen()
    }

    private mutating func loadSeatMapKeepingHolds() -> [KioskAction] {
        guard case .seats(let seats) = screen else { return [] }
        var actions: [KioskAction] = []
        if seats.map.auditorium == nil, layoutSupported { actions.append(send(.layout(show: seats.map.showID))) }
        watching = true
        return actions + [send(.watch(show: seats.map.showID)), send(.seats(show: nil))]
    }

    private mutating func layoutAnswered(_ show: String, _ reply: ServerReply) -> [KioskAction] {
        if reply.errorCode == "UNKNOWN_COMMAND" {
            layoutSupported = false
            return []
        }
        guard let auditorium = Auditorium(layout: reply) else { return [] }
        if !auditorium.screenName.isEmpty { screenNames[auditorium.screenID] = auditorium.screenName }
        updateMap(show) { map in
            map.auditorium = auditorium
            map.placeCursorIfNeeded()
        }
        return []
    }

    private mutating func seatsAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard reply.isOK else {
            if reply.errorCode == "NO_SESSION" { return sessionEnded("Your seats were released because time ran out.") }
            return []
        }
        guard let showID = session?.showID else { return [] }
        let fallback = layoutSupported ? nil : Auditorium(seats: reply, screenID: listing(showID)?.screenID ?? "")
        updateMap(showID) { map in
            if map.auditorium == nil, let fallback { map.auditorium = fallback }
            map.apply(seats: reply)
        }
        return []
    }

    private mutating func updateMap(_ showID: String, _ change: (inout SeatMap) -> Void) {
        switch screen {
        case .seats(var seats) where seats.map.showID == showID:
            change(&seats.map)
            if seats.map.isLoaded, notice == Self.seatsLoading { notice = nil }
            screen = .seats(seats)
        case .payment(var form) where form.map.showID == showID:
            change(&form.map)
            screen = .payment(form)
        default: break
        }
    }

    private mutating func holdAnswered(_ command: KioskCommand, _ reply: ServerReply) -> [KioskAction] {
        guard case .seats(var seats) = screen else { return [] }
        seats.busy = false
        let words = reply.words
        if reply.isOK, words.first == "HELD" {
            let expiresIndex = words.firstIndex(of: "EXPIRES") ?? words.count
            let held = words[1..<expiresIndex].compactMap { SeatID($0) }
            if expiresIndex + 1 < words.count, let seconds = Double(words[expiresIndex + 1]) {
                session?.expiresAt = now.addingTimeInterval(seconds)
            }
            if case .release = command {
                seats.map.unselected.removeAll()
                seats.map.mine = Set(held)
            } else {
                seats.map.held(held)
            }
            if case .best(let count) = command {
                if words.last == "SPLIT" {
                    notice = Notice(
                        "There were not \(count) seats together, so we chose the best seats apart: \(Self.list(held)).")
                } else {
                    notice = Notice("We held the best seats: \(Self.list(held)). Press Enter to pay.")
                }
                if let first = held.first { _ = seats.map.jump(to: first) }
            } else if !held.isEmpty {
                notice = Notice("Held for you: \(Self.list(held)). Press Enter to pay.")
            }
            screen = .seats(seats)
            return []
        }
        screen = .seats(seats)
        switch reply.errorCode {
        case "SEATS_UNAVAILABLE":
            let taken = words.dropFirst().joined(separator: " ")
            notice = Notice(
                "Sorry, \(taken.isEmpty ? "some seats" : "seat " + taken) \(words.count > 2 ? "were" : "was") just taken by someone else. The map is up to date again; please choose again.",
                warning: true)
            updateMap(seats.map.showID) { $0.selection.removeAll() }
            return [send(.seats(show: nil))]
        case "SEAT_LIMIT":
            notice = Notice(
                "You can book at most \(words.dropFirst().first ?? "a few") seats at a time.", warning: true)
        case "NOT_ENOUGH_SEATS":
            notice = Notice(
                "Sorry, only \(words.dropFirst().first ?? "a few") seats are still free for this show.", warning: true)
        case "UNKNOWN_SEAT":
            notice = Notice("Seat \(words.dropFirst().joined(separator: " ")) does not exist.", warning: true)
            updateMap(seats.map.showID) { $0.selection.removeAll() }
        case "NOT_HELD":
            return [send(.seats(show: nil))]
        case "NO_SESSION", "SESSION_EXPIRED":
            return sessionEnded("Your seats were released because time ran out.")
        case "SHOW_STARTED":
            let actions = leaveSeatMap()
            notice = Notice("This show has started, so tickets are no longer sold.", warning: true)
            return actions
        case "UNKNOWN_COMMAND":
            notice = Notice(
                "This box office cannot find the best seats yet. Please choose seats with Space.", warning: true)
        default:
            notice = Notice(Self.describe(reply), warning: true)
            return [send(.seats(show: nil))]
        }
        return []
    }

    private mutating func quoteAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard case .seats(var seats) = screen else { return [] }
        seats.busy = false
        screen = .seats(seats)
        if let quote = Quote(reply: reply) {
            screen = .payment(PaymentForm(map: seats.map, quote: quote))
            return []
        }
        switch reply.errorCode {
        case "NO_SESSION", "SESSION_EXPIRED": return sessionEnded("Your seats were released because time ran out.")
        case "NOTHING_HELD":
            notice = Notice("Please choose seats first.", warning: true)
            return [send(.seats(show: nil))]
        default:
            notice = Notice(Self.describe(reply), warning: true)
            return []
        }
    }

    private mutating func payAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard case .payment(var form) = screen else { return [] }
        form.busy = false
        let words = reply.words
        if reply.isOK, words.count >= 3, words[0] == "BOOKED" {
            session = nil
            screen = .ticket(Booking(id: words[1], showID: words[2], seats: Array(words[3...])))
            var actions: [KioskAction] = []
            if watching { actions.append(send(.unwatch)) }
            watching = false
            return actions
        }
        screen = .payment(form)
        switch reply.errorCode {
        case "PAYMENT_FAILED":
            let reason = Self.describePaymentFailure(words.dropFirst().first ?? "")
            let left = words.count > 2 ? Int(words[2]) ?? 0 : 0
            if left > 0 {
                form.declined = "\(reason) \(left == 1 ? "1 attempt" : "\(left) attempts") left."
                screen = .payment(form)
                notice = Notice(
                    "Payment failed: \(reason) You can try again: \(left == 1 ? "1 attempt" : "\(left) attempts") left.",
                    warning: true)
                return []
            }
            return sessionEnded("Payment failed: \(reason) No attempts are left, so your seats were released.")
        case "SESSION_EXPIRED", "NO_SESSION":
            return sessionEnded("Your seats were released because time ran out.")
        case "HOLD_LOST":
            return sessionEnded(
                "A seat was lost before your payment went through; nothing was charged. Please choose again.")
        case "NOTHING_HELD":
            screen = .seats(SeatScreen(map: form.map))
            notice = Notice("Please choose seats first.", warning: true)
            return [send(.seats(show: nil))]
        case "UNAVAILABLE":
            notice = Notice(
                "The payment could not be completed just now. You are never charged without a booking: look at My bookings in a minute.",
                warning: true)
        default:
            notice = Notice(Self.describe(reply), warning: true)
        }
        return []
    }

    // MARK: Events

    private mutating func handleEvent(_ line: String) -> [KioskAction] {
        let words = line.split(separator: " ")
        guard words.count >= 2 else { return [] }
        switch words[1] {
        case "EXPIRED":
            guard words.count >= 3, let ended = session, ended.id == String(words[2]) else { return [] }
            if ended.expiresAt == nil {
                // Nothing was ever held: open a fresh session without troubling the customer.
                session = nil
                return link == .ready ? [send(.start(show: ended.showID))] : []
            }
            return sessionEnded("Your seats were released because time ran out.")
        case "SEATS":
            guard words.count >= 3 else { return [] }
            var lost: [SeatID] = []
            updateMap(String(words[2])) { lost = $0.apply(event: Array(words.dropFirst(3))) }
            if !lost.isEmpty {
                notice = Notice("Seat \(Self.list(lost)) was just taken by someone else.", warning: true)
            }
            return []
        case "LAYOUT":
            guard words.count >= 3, session?.showID == String(words[2]) else { return [] }
            updateMap(String(words[2])) { $0.auditorium = nil }
            return (layoutSupported ? [send(.layout(show: String(words[2])))] : []) + [send(.seats(show: nil))]
        case "SHUTDOWN":
            return connectionLost()
        default:
            return []
        }
    }

    // MARK: Words

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

    /// Any other error, in plain words.
    static func describe(_ reply: ServerReply) -> String {
        switch reply.errorCode {
        case "UNAVAILABLE": "The box office is busy right now. Please try again in a moment."
        case "RATE_LIMITED": "Too many attempts. Please wait a few minutes."
        default: "Something went wrong (\(reply.errorCode ?? reply.final)). Please try again or ask staff."
        }
    }
}
