import BoxOfficeCore
import Foundation

// MARK: What the box office says: replies to the kiosk's requests, and events

extension Kiosk {
    // MARK: Replies

    mutating func handleReply(_ command: KioskCommand, _ reply: ServerReply) -> [KioskAction] {
        switch command {
        case .kiosk:
            guard reply.isOK else {
                // A wrong secret stays wrong until staff mend it: say so for good, and try again slowly. Any other
                // error (the store unavailable, say) is a connection to try again at once.
                if reply.errorCode == "AUTH_FAILED" { refused = true }
                return connectionLost()
            }
            refused = false
            hasConnected = true
            link = .ready
            daemons.accepted()
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
        case .watch(let show):
            if reply.errorCode == "UNKNOWN_SHOW", session?.showID == show { return showWithdrawn() }
            return []
        case .logout, .close, .unwatch, .ping, .quit, .admit:
            return []
        case .shows:
            return showsAnswered(reply)
        case .prices(let show):
            if let table = PriceTable(reply: reply) { prices[show] = table }
            showDetailAnswered()
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
            if case .paymentInDoubt(let doubt) = screen { return paymentDoubtBookings(doubt, reply) }
            guard case .bookings = screen else { return [] }
            guard reply.isOK else {
                screen = .bookings(.failed("We could not read your bookings. \(Self.describe(reply))"))
                return []
            }
            screen = .bookings(.loaded(Booking.list(from: reply.data)))
            return []
        case .cancel(let booking):
            return cancelAnswered(booking, reply)
        }
    }

    mutating func welcomeFailed(_ reply: ServerReply) -> [KioskAction] {
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
            words = Self.waitWords(reply)
            form.password = ""
        default:
            words = Self.describe(reply)
        }
        notice = Notice(words, warning: true)
        screen = .welcome(form)
        return []
    }

    mutating func loginAnswered(_ reply: ServerReply) -> [KioskAction] {
        // The connection still has a customer (a LOGIN whose answer was lost, say): log out and in again, once.
        if reply.errorCode == "ALREADY_AUTHENTICATED", !loginRetried, let customerName, let password {
            loginRetried = true
            return [send(.logout), send(.login(user: customerName, password: password))]
        }
        loginRetried = false
        // A LOGIN cut off by a lost connection and sent again: on the welcome form it is the customer's own.
        if restoring, case .welcome = screen { restoring = false }
        if restoring {
            restoring = false
            guard reply.isOK else {
                // A payment in doubt cannot be looked up without its customer: a fresh connection logs in again,
                // until the wait for the outcome gives up. Not at once: this daemon accepted the kiosk, so the next
                // one would be tried without a wait, and daemons that all refuse the login would be asked in a loop.
                if case .paymentInDoubt(let doubt) = screen, doubt.stage != .gaveUp {
                    return connectionLost(waitingAtLeast: DaemonRotation.firstBackoff)
                }
                return reset(notice: Notice("Please log in again.", warning: true))
            }
            loggedIn = true
            if let session { return [send(.resume(session: session.id, show: session.showID))] }
            return refreshScreen()
        }
        guard reply.isOK else { return welcomeFailed(reply) }
        loggedIn = true
        return openShows()
    }

    /// Reads again what the current screen shows, after the connection came back.
    mutating func refreshScreen() -> [KioskAction] {
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
        case .paymentInDoubt(let doubt):
            return doubt.stage == .gaveUp ? [] : askAboutPayment(doubt)
        }
    }

    mutating func showsAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard reply.isOK else {
            if case .shows = screen { notice = Notice(Self.describe(reply), warning: true) }
            return []
        }
        if let line = reply.data.first(where: { $0.hasPrefix("ZONE ") }),
            let zone = TimeZone(identifier: String(line.dropFirst(5)))
        {
            theatreZone = zone
        }
        let known = session.flatMap { listing($0.showID) }
        listings = ShowListing.shows(in: reply)
        if let session, let known, known.start > now, listing(session.showID) == nil {
            // The show of the open session left the programme: withdrawn.
            return showWithdrawn()
        }
        guard case .shows(var list) = screen else { return [] }
        list.loaded = true
        list.detailsAwaited = 0
        list.arrange(listings, now: now, timeZone: timeZone)
        if notice == Self.showsLoading { notice = nil }
        screen = .shows(list)
        return askShowDetails()
    }

    /// Asks the prices and screen names of the shows drawn that the kiosk does not know yet.
    mutating func askShowDetails() -> [KioskAction] {
        guard case .shows(var list) = screen, link == .ready else { return [] }
        var actions = list.shows.filter { prices[$0.id] == nil }.map { send(.prices(show: $0.id)) }
        if layoutSupported {
            var asked: Set<String> = []
            for show in list.shows where screenNames[show.screenID] == nil && asked.insert(show.screenID).inserted {
                actions.append(send(.layout(show: show.id)))
            }
        }
        list.detailsAwaited += actions.count
        screen = .shows(list)
        return actions
    }

    /// One `PRICES` or `LAYOUT` asked for the list of shows answered.
    mutating func showDetailAnswered() {
        guard case .shows(var list) = screen else { return }
        list.detailsAwaited = max(0, list.detailsAwaited - 1)
        screen = .shows(list)
    }

    /// The show of the open session was withdrawn from sale (`UNKNOWN_SHOW`, or missing from `SHOWS`): says so and
    /// goes back to the list of shows. The box office freed the seats; nothing was charged.
    mutating func showWithdrawn() -> [KioskAction] {
        let held = currentMap?.mine ?? []
        let actions = leaveSeatMap()
        notice = Notice(
            held.isEmpty
                ? "Sorry, this show was withdrawn from sale. Please choose another show."
                : "Sorry, this show was withdrawn from sale, so your seats \(Self.list(Array(held))) were released and nothing was charged. Please choose another show.",
            warning: true)
        return actions
    }

    /// The seat map shown, on the seat screen or behind the payment form.
    var currentMap: SeatMap? {
        switch screen {
        case .seats(let seats): seats.map
        case .payment(let form): form.map
        default: nil
        }
    }

    mutating func startAnswered(_ show: String, _ reply: ServerReply) -> [KioskAction] {
        if case .shows(var list) = screen {
            list.starting = false
            screen = .shows(list)
        }
        let words = reply.words
        if reply.isOK, words.count >= 3, words[0] == "SESSION" {
            session = BookingSession(id: words[1], showID: show, expiresAt: nil)
            if case .shows(let list) = screen { browsing = list }
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
            if case .shows(var list) = screen {
                list.starting = true
                screen = .shows(list)
            }
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

    mutating func resumeAnswered(_ reply: ServerReply) -> [KioskAction] {
        if case .paymentInDoubt(let doubt) = screen {
            guard Self.resumed(reply) != nil else { return paymentDoubtResumeFailed(doubt, reply) }
            paymentDidNotGoThrough(doubt)
        }
        if let resumed = Self.resumed(reply) {
            session = BookingSession(
                id: resumed.session, showID: resumed.show, expiresAt: now.addingTimeInterval(resumed.seconds),
                heldSeconds: Int(resumed.seconds))
            switch screen {
            case .seats(var seats):
                seats.map.held(resumed.held)
                seats.awaiting = 0
                screen = .seats(seats)
                return loadSeatMapKeepingHolds()
            case .payment(var form):
                form.map.held(resumed.held)
                form.busy = false
                screen = .payment(form)
                watching = true
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

    /// Reads `OK RESUMED <session-id> <show-id> HELD [<seat-id> ...] EXPIRES <seconds-left>` strictly; nil for
    /// anything else (an error, or a reply of another shape: treated as a failed `RESUME`). A show id may itself
    /// be `EXPIRES`, so the last `EXPIRES` ends the seats.
    static func resumed(_ reply: ServerReply) -> (session: String, show: String, held: [SeatID], seconds: Double)? {
        let words = reply.words
        guard reply.isOK, words.count >= 6, words[0] == "RESUMED", words[3] == "HELD",
            let expiresIndex = words[4...].lastIndex(of: "EXPIRES"), expiresIndex == words.count - 2,
            let seconds = Double(words[expiresIndex + 1]), seconds.isFinite, seconds >= 0
        else { return nil }
        let held = words[4..<expiresIndex].compactMap { SeatID($0) }
        guard held.count == expiresIndex - 4 else { return nil }
        return (words[1], words[2], held, seconds)
    }

    mutating func loadSeatMapKeepingHolds() -> [KioskAction] {
        guard case .seats(let seats) = screen else { return [] }
        var actions: [KioskAction] = []
        if seats.map.auditorium == nil, layoutSupported { actions.append(send(.layout(show: seats.map.showID))) }
        watching = true
        return actions + [send(.watch(show: seats.map.showID)), send(.seats)]
    }

    mutating func layoutAnswered(_ show: String, _ reply: ServerReply) -> [KioskAction] {
        showDetailAnswered()
        if reply.errorCode == "UNKNOWN_COMMAND" {
            layoutSupported = false
            return []
        }
        if reply.errorCode == "UNKNOWN_SHOW", session?.showID == show { return showWithdrawn() }
        guard let auditorium = Auditorium(layout: reply) else { return [] }
        if !auditorium.screenName.isEmpty { screenNames[auditorium.screenID] = auditorium.screenName }
        updateMap(show) { map in
            map.auditorium = auditorium
            map.placeCursorIfNeeded()
        }
        return []
    }

    mutating func seatsAnswered(_ reply: ServerReply) -> [KioskAction] {
        guard reply.isOK else {
            if reply.errorCode == "NO_SESSION" { return sessionEnded("Your seats were released because time ran out.") }
            if reply.errorCode == "UNKNOWN_SHOW", session != nil { return showWithdrawn() }
            return []
        }
        guard let showID = session?.showID else { return [] }
        let fallback = layoutSupported ? nil : Auditorium(seats: reply, screenID: listing(showID)?.screenID ?? "")
        updateMap(showID) { map in
            if map.auditorium == nil, let fallback { map.auditorium = fallback }
            map.apply(seats: reply)
        }
        if let before = layoutChangedUnder {
            // The first SEATS since the theatre changed the show's seats: say what became of the customer's.
            layoutChangedUnder = nil
            let lost = before.subtracting(currentMap?.mine ?? [])
            notice =
                lost.isEmpty
                ? Notice("The theatre has just changed this show's seats; yours are still held for you.")
                : Notice(
                    "The theatre has just changed this show's seats, so seat \(Self.list(Array(lost))) is no longer held for you. Please choose again.",
                    warning: true)
        }
        return []
    }

    mutating func updateMap(_ showID: String, _ change: (inout SeatMap) -> Void) {
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

    mutating func holdAnswered(_ command: KioskCommand, _ reply: ServerReply) -> [KioskAction] {
        guard case .seats(var seats) = screen else { return [] }
        seats.awaiting = max(0, seats.awaiting - 1)
        let words = reply.words
        if reply.isOK, words.first == "HELD" {
            let expiresIndex = words[1...].firstIndex(of: "EXPIRES") ?? words.count
            let held = words[1..<expiresIndex].compactMap { SeatID($0) }
            if expiresIndex + 1 < words.count, let seconds = Double(words[expiresIndex + 1]), seconds.isFinite,
                seconds >= 0
            {
                session?.expiresAt = now.addingTimeInterval(seconds)
                session?.heldSeconds = Int(seconds)
            }
            if case .release = command {
                seats.map.unselected.removeAll()
                seats.map.mine = Set(held)
            } else {
                seats.map.held(held)
            }
            let rise = priceRise(from: seats.heldBefore, to: Set(held), on: seats.map)
            if case .best(let count, _) = command {
                var words =
                    words.last == "SPLIT"
                    ? "There were not \(count) seats together, so we chose the best seats apart: \(Self.list(held))."
                    : "We held the best seats: \(Self.list(held))."
                let replaced = seats.heldBefore.subtracting(held)
                if !replaced.isEmpty { words += " They replace \(Self.list(Array(replaced))), now released." }
                notice = Notice(words + rise + " Press Enter to pay.")
                if let first = held.first { _ = seats.map.jump(to: first) }
            } else if case .hold = command, !held.isEmpty {
                notice = Notice("Held for you: \(Self.list(held)).\(rise) Press Enter to pay.")
            }
            screen = .seats(seats)
            return []
        }
        screen = .seats(seats)
        // A BEST REPLACE refused changed nothing: say that the seats it was to replace are still the customer's.
        var stillHeld: Set<SeatID> = []
        if case .best(_, replace: true) = command, Self.refusalsKeepingSeats.contains(reply.errorCode ?? "") {
            stillHeld = seats.map.mine
        }
        defer {
            if !stillHeld.isEmpty, let said = notice {
                notice = Notice(
                    said.text + " Your seats \(Self.list(Array(stillHeld))) are still held for you.", warning: true)
            }
        }
        switch reply.errorCode {
        case "UNKNOWN_SHOW":
            return showWithdrawn()
        case "SEATS_UNAVAILABLE":
            let taken = words.dropFirst().joined(separator: " ")
            notice = Notice(
                "Sorry, \(taken.isEmpty ? "some seats" : "seat " + taken) \(words.count > 2 ? "were" : "was") just taken by someone else. The map is up to date again; please choose again.",
                warning: true)
            updateMap(seats.map.showID) { $0.selection.removeAll() }
            return [send(.seats)]
        case "SEAT_LIMIT":
            notice = Notice(
                "You can book at most \(words.dropFirst().first ?? "a few") seats at a time.", warning: true)
        case "NOT_ENOUGH_SEATS":
            notice = Notice(
                "Sorry, only \(words.dropFirst().first ?? "a few") seats are still free for this show.", warning: true)
        case "NOT_FOR_SALE":
            notice = Notice("Seat \(words.dropFirst().joined(separator: " ")) is not for sale.", warning: true)
            updateMap(seats.map.showID) { $0.selection.removeAll() }
        case "UNKNOWN_SEAT":
            notice = Notice("Seat \(words.dropFirst().joined(separator: " ")) does not exist.", warning: true)
            updateMap(seats.map.showID) { $0.selection.removeAll() }
        case "NOT_HELD":
            return [send(.seats)]
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
            return [send(.seats)]
        }
        return []
    }

    /// The refusals of a BEST REPLACE after which the seats it was to replace are said to be still held.
    static let refusalsKeepingSeats: Set<String> = ["NOT_ENOUGH_SEATS", "SEAT_LIMIT", "SEATS_UNAVAILABLE"]

    /// What the seats of `map` cost at the prices `PRICES` gave, in minor units; nil while a price is unknown.
    func price(of seats: Set<SeatID>, on map: SeatMap) -> (total: Int, currency: String)? {
        guard let table = prices[map.showID], let auditorium = map.auditorium else { return nil }
        var total = 0
        for seat in seats {
            guard let place = auditorium.position(of: seat),
                let kind = auditorium.seat(row: place.row, place: place.place)?.kind, let price = table.prices[kind]
            else { return nil }
            total += price
        }
        return (total, table.currency)
    }

    /// Words for a change of seats that raised their price: ` Total: 24.00 EUR.` for the first seats, ` Your seats
    /// now cost 64.00 EUR, up from 24.00 EUR.` after; empty when the price did not rise or is not known.
    func priceRise(from before: Set<SeatID>, to after: Set<SeatID>, on map: SeatMap) -> String {
        guard let old = price(of: before, on: map), let new = price(of: after, on: map), new.total > old.total else {
            return ""
        }
        let now = Money.format(new.total, new.currency)
        if old.total == 0 { return " Total: \(now)." }
        return " Your seats now cost \(now), up from \(Money.format(old.total, old.currency))."
    }

    mutating func quoteAnswered(_ reply: ServerReply) -> [KioskAction] {
        if case .payment(let form) = screen {
            return form.requoting ? ticketsQuoteAnswered(form, reply) : newPriceAnswered(form, reply)
        }
        guard case .seats(var seats) = screen else { return [] }
        seats.awaiting = max(0, seats.awaiting - 1)
        screen = .seats(seats)
        if let quote = Quote(reply: reply) {
            var form = PaymentForm(map: seats.map, quote: quote)
            form.tickets = TicketPicker(table: prices[seats.map.showID], held: Self.kinds(of: seats.map))
            form.quotedTickets = form.tickets
            screen = .payment(form)
            return []
        }
        switch reply.errorCode {
        case "NO_SESSION", "SESSION_EXPIRED": return sessionEnded("Your seats were released because time ran out.")
        case "UNKNOWN_SHOW": return showWithdrawn()
        case "NOTHING_HELD":
            notice = Notice("Please choose seats first.", warning: true)
            return [send(.seats)]
        default:
            notice = Notice(Self.describe(reply), warning: true)
            return []
        }
    }

    /// How many seats of each kind the customer holds on `map`.
    static func kinds(of map: SeatMap) -> [SeatKind: Int] {
        var kinds: [SeatKind: Int] = [:]
        for seat in map.mine {
            guard let place = map.auditorium?.position(of: seat),
                let kind = map.auditorium?.seat(row: place.row, place: place.place)?.kind
            else { continue }
            kinds[kind, default: 0] += 1
        }
        return kinds
    }

    /// `QUOTE` with the ticket types the customer changed: the form shows the new itemised price; a choice the box
    /// office refuses (more companions than wheelchair spaces...) goes back to the one quoted before, and says why.
    mutating func ticketsQuoteAnswered(_ form: PaymentForm, _ reply: ServerReply) -> [KioskAction] {
        var form = form
        form.requoting = false
        if let quote = Quote(reply: reply) {
            form.quote = quote
            form.quotedTickets = form.tickets
            screen = .payment(form)
            return []
        }
        form.tickets = form.quotedTickets
        screen = .payment(form)
        switch reply.errorCode {
        case "NO_SESSION", "SESSION_EXPIRED": return sessionEnded("Your seats were released because time ran out.")
        case "UNKNOWN_SHOW": return showWithdrawn()
        case "TOO_MANY_COMPANIONS":
            notice = Notice(
                "A companion ticket goes with a wheelchair space: one for each space you hold.", warning: true)
        case "TICKET_RATING":
            notice = Notice("That ticket is not sold for this film's age rating.", warning: true)
        default:
            notice = Notice(Self.describe(reply), warning: true)
        }
        return []
    }

    /// `QUOTE` again after `PAY` answered `PRICE_CHANGED`: the form shows the new price and waits for the customer
    /// to confirm it; it pays nothing by itself. Should the quote fail, the form keeps the total it showed, which a
    /// `PAY` then offers again (and the box office refuses again if it is out of date).
    mutating func newPriceAnswered(_ form: PaymentForm, _ reply: ServerReply) -> [KioskAction] {
        var form = form
        form.busy = false
        guard let quote = Quote(reply: reply) else {
            form.priceChangedFrom = nil
            screen = .payment(form)
            switch reply.errorCode {
            case "NO_SESSION", "SESSION_EXPIRED": return sessionEnded("Your seats were released because time ran out.")
            case "UNKNOWN_SHOW": return showWithdrawn()
            default:
                notice = Notice(
                    "The price of your seats has changed, and we could not read the new price. Nothing was charged. \(Self.describe(reply))",
                    warning: true)
                return []
            }
        }
        form.quote = quote
        screen = .payment(form)
        notice = Notice(
            "The price of your seats changed before you paid, so nothing was charged. The new total is \(Money.format(quote.total, quote.currency)): please confirm it to pay.",
            warning: true)
        return []
    }

    mutating func payAnswered(_ reply: ServerReply) -> [KioskAction] {
        payInFlight = false
        guard case .payment(var form) = screen else { return [] }
        form.busy = false
        let words = reply.words
        if reply.isOK, words.count >= 3, words[0] == "BOOKED" {
            session = nil
            var booking = Booking(
                id: words[1], showID: words[2], seats: Array(words[3...]),
                ticketCode: Booking.ticketCodes(in: reply.data)[words[1]])
            // PAY charged exactly the total shown, itemised as shown: the ticket says it.
            booking.amount = form.quote.total
            booking.currency = form.quote.currency
            booking.tickets = form.quote.items.map {
                Booking.TicketLine(type: $0.type ?? $0.kind, count: $0.count, unit: $0.unit)
            }
            var actions: [KioskAction] = []
            if watching { actions.append(send(.unwatch)) }
            watching = false
            return actions + showNewTicket(booking)
        }
        screen = .payment(form)
        switch reply.errorCode {
        case "PAYMENT_FAILED":
            let reason = Self.describePaymentFailure(words.dropFirst().first ?? "")
            let left = words.count > 2 ? Int(words[2]) ?? 0 : 0
            if left > 0 {
                // Said once, on the form, where it stays until the next attempt.
                form.declined = "\(reason) \(left == 1 ? "1 attempt" : "\(left) attempts") left."
                screen = .payment(form)
                return []
            }
            return sessionEnded("Payment failed: \(reason) No attempts are left, so your seats were released.")
        case "SESSION_EXPIRED", "NO_SESSION":
            return sessionEnded("Your seats were released because time ran out.")
        case "UNKNOWN_SHOW":
            return showWithdrawn()
        case "PRICE_CHANGED":
            // Nothing was charged and the seats are still held: read what they cost now, show it, and let the
            // customer decide. The new price is never paid without another Enter.
            form.priceChangedFrom = form.quote
            form.busy = true
            screen = .payment(form)
            return [send(.quote(tickets: form.tickets?.arguments ?? []))]
        case "HOLD_LOST":
            return sessionEnded(
                "A seat was lost before your payment went through; nothing was charged. Please choose again.")
        case "NOTHING_HELD":
            screen = .seats(SeatScreen(map: form.map))
            notice = Notice("Please choose seats first.", warning: true)
            return [send(.seats)]
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

    mutating func handleEvent(_ line: String) -> [KioskAction] {
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
            var changed: (taken: [SeatID], released: [SeatID]) = ([], [])
            updateMap(String(words[2])) { changed = $0.apply(event: Array(words.dropFirst(3))) }
            if !changed.released.isEmpty, case .payment(let form) = screen {
                // The quote no longer holds: back to the seats.
                screen = .seats(SeatScreen(map: form.map))
            }
            if !changed.released.isEmpty {
                // The box office let seats of this session go (an operator, or the theatre changed the show):
                // whatever was said about them is no longer true.
                notice = Notice(
                    "Seat \(Self.list(changed.released)) is no longer held for you: the box office released it. Please choose again.",
                    warning: true)
            } else if !changed.taken.isEmpty {
                notice = Notice("Seat \(Self.list(changed.taken)) was just taken by someone else.", warning: true)
            }
            // Seats let go by the box office: SHOWS says whether the show itself was withdrawn.
            return !changed.released.isEmpty && link == .ready ? [send(.shows)] : []
        case "LAYOUT":
            // The theatre changed the show's seats, or withdrew it: the map is read again, and SHOWS says whether
            // the show is still on sale. Seats the change freed are said when SEATS shows them gone.
            guard words.count >= 3, let session, session.showID == String(words[2]), link == .ready else { return [] }
            if case .payment(let form) = screen { screen = .seats(SeatScreen(map: form.map)) }
            var heldBefore: Set<SeatID> = []
            if case .seats(var seats) = screen {
                heldBefore = seats.map.mine
                seats.awaiting = 0
                seats.prompt = nil
                screen = .seats(seats)
            }
            layoutChangedUnder = heldBefore
            notice = Notice("The theatre has just changed this show's seats. One moment, please...", warning: true)
            updateMap(session.showID) { $0.auditorium = nil }
            return (layoutSupported ? [send(.layout(show: session.showID))] : []) + [send(.seats), send(.shows)]
        case "SHUTDOWN":
            return connectionLost()
        default:
            return []
        }
    }
}
