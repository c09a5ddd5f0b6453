import BoxOfficeCore
import Foundation

// MARK: What the customer does: keys on the full screen, typed lines in plain mode

extension Kiosk {
    // MARK: Keys

    mutating func handleKey(_ key: Key) -> [KioskAction] {
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
        case .paymentInDoubt(let doubt) where doubt.stage != .gaveUp:
            // No key pays again (nor goes where paying again is one Enter away) until the outcome is known.
            notice = Self.stillChecking
            return []
        case .ticket, .paymentInDoubt:
            switch key {
            case .enter: return openShows()
            case .character("m"): return openBookings()
            case .character("q"), .escape: return logout()
            default: return []
            }
        case .bookings:
            if let actions = bookingChoiceKey(key) { return actions }
            switch key {
            case .character("r"): return openBookings()
            case .enter, .escape, .character("q"): return openShows()
            case .character(let character) where character.isASCII && character.isNumber:
                return openTicket(number: character.wholeNumberValue ?? 0)
            default: return []
            }
        }
    }

    mutating func welcomeKey(_ key: Key, _ form: inout WelcomeForm) -> [KioskAction] {
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

    mutating func submitWelcome(_ form: inout WelcomeForm) -> [KioskAction] {
        if form.registering, form.password.utf8.count < 8 {
            notice = Notice("A password needs at least 8 characters and no spaces.", warning: true)
            return []
        }
        guard form.password.utf8.count >= 1 else { return [] }
        guard link == .ready else {
            notice = notConnectedNotice
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

    mutating func showsKey(_ key: Key, _ list: ShowList) -> [KioskAction] {
        var list = list
        switch key {
        case .up: list.cursor = max(0, list.cursor - 1)
        case .down: list.cursor = min(max(0, list.shows.count - 1), list.cursor + 1)
        case .left, .right:
            guard list.loaded, list.step(key == .left ? -1 : 1) else { return [] }
            return browse(list)
        case .character("f"):
            guard list.loaded else { return [] }
            return browse(list.browse == .byDay ? .byFilm : .byDay, list)
        case .enter:
            // Before `SHOWS` answers the customer sees no list, so there is nothing to pick yet: say so.
            guard list.loaded else {
                notice = Self.showsLoading
                return []
            }
            return pickShow(at: list.cursor, list)
        case .character("m"): return openBookings()
        case .character("r"): return openShows()
        case .character("q"), .escape: return logout()
        default: return []
        }
        screen = .shows(list)
        return []
    }

    /// Draws `list` with its day or film as chosen, and asks what the kiosk does not know of its shows.
    mutating func browse(_ list: ShowList) -> [KioskAction] {
        var list = list
        list.arrange(listings, now: now, timeZone: timeZone)
        screen = .shows(list)
        return askShowDetails()
    }

    /// Browses `list` by day or by film; the day or film of the show under the cursor is the one chosen.
    mutating func browse(_ way: ShowList.Browse, _ list: ShowList) -> [KioskAction] {
        var list = list
        if list.shows.indices.contains(list.cursor) {
            let show = list.shows[list.cursor]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            list.day = calendar.startOfDay(for: show.start)
            list.film = show.title
        }
        list.browse = way
        return browse(list)
    }

    /// Opens the seat map of the show at `index` of `list`, unless it is sold out or a pick is already under way.
    mutating func pickShow(at index: Int, _ list: ShowList) -> [KioskAction] {
        var list = list
        guard list.shows.indices.contains(index), !list.starting else { return [] }
        list.cursor = index
        screen = .shows(list)
        guard !list.shows[index].isSoldOut else {
            notice = Notice("Sorry, this show is sold out. Please choose another.", warning: true)
            return []
        }
        let actions = startShow(list.shows[index].id)
        list.starting = !actions.isEmpty
        screen = .shows(list)
        return actions
    }

    mutating func seatsKey(_ key: Key, _ seats: inout SeatScreen) -> [KioskAction] {
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
        case .character("/"):
            seats.prompt = .find("")
        case .escape:
            return leaveSeatMap()
        case .character(let character) where character.isASCII && character.isLetter:
            // A letter starts a seat id, whatever its case: `b3` Enter goes to B3. `b` and `q` alone (then Enter)
            // are the best-seats prompt and the way back; see `promptKey`.
            seats.prompt = .find(character.uppercased())
        default:
            break
        }
        return []
    }

    mutating func promptKey(_ key: Key, _ prompt: SeatPrompt, _ seats: inout SeatScreen) -> [KioskAction] {
        switch (prompt, key) {
        case (_, .escape):
            seats.prompt = nil
        case (.find("B"), .enter), (.find("B"), .character(" ")):
            // `b` and nothing more: no row is named by its letter alone, so this asks for the best seats.
            seats.prompt = .best("", adding: false)
        case (.find("Q"), .enter):
            seats.prompt = nil
            return leaveSeatMap()
        case (.find(let text), .character(let character))
        where character.isASCII && (character.isLetter || character.isNumber) && text.count < 5:
            seats.prompt = .find(text + character.uppercased())
        case (.best(let text, let adding), .character(let character))
        where character.isASCII && character.isNumber && text.count < 2:
            seats.prompt = .best(text + String(character), adding: adding)
        case (.best(let text, let adding), .character("+")):
            seats.prompt = .best(text, adding: !adding)
        case (.find(let text), .backspace):
            seats.prompt = text.isEmpty ? nil : .find(String(text.dropLast()))
        case (.best(let text, let adding), .backspace):
            seats.prompt = text.isEmpty ? nil : .best(String(text.dropLast()), adding: adding)
        case (.find(let text), .enter):
            seats.prompt = nil
            if let id = SeatID(text), seats.map.jump(to: id) { return [] }
            notice = Notice("There is no seat \(text) in this auditorium.", warning: true)
        case (.best(let text, let adding), .enter):
            seats.prompt = nil
            guard let count = Int(text), count > 0 else { return [] }
            return askBest(count, adding: adding, &seats)
        default:
            break
        }
        return []
    }

    /// Asks for the best `count` seats together: in place of the seats held (one `BEST ... REPLACE`, so they stay
    /// held if no group can be had), or, when `adding`, besides them.
    mutating func askBest(_ count: Int, adding: Bool, _ seats: inout SeatScreen) -> [KioskAction] {
        guard session != nil, link == .ready else {
            notice = Notice("One moment, please...", warning: true)
            return []
        }
        seats.map.selection.removeAll()
        seats.map.unselected.removeAll()
        seats.heldBefore = seats.map.mine
        seats.awaiting = 1
        return [send(.best(count, replace: !adding && !seats.map.mine.isEmpty))]
    }

    mutating func commitSeats(_ seats: inout SeatScreen) -> [KioskAction] {
        guard session != nil, link == .ready else {
            notice = Notice("One moment, please...", warning: true)
            return []
        }
        if seats.map.hasPendingChanges {
            var actions: [KioskAction] = []
            if !seats.map.unselected.isEmpty { actions.append(send(.release(Array(seats.map.unselected)))) }
            if !seats.map.selection.isEmpty { actions.append(send(.hold(Array(seats.map.selection)))) }
            // Not ready for seat keys again until both the RELEASE and the HOLD answered.
            seats.awaiting = actions.count
            seats.heldBefore = seats.map.mine
            return actions
        }
        if seats.map.mine.isEmpty {
            notice = Notice(
                "Choose seats first: move with the arrow keys and press Space, or press b and Enter for the best seats."
            )
            return []
        }
        seats.awaiting = 1
        return [send(.quote())]
    }

    mutating func paymentKey(_ key: Key, _ form: inout PaymentForm) -> [KioskAction] {
        let tokens = KioskConfiguration.demoTokens
        switch key {
        case .escape:
            screen = .seats(SeatScreen(map: form.map))
            return []
        case .tab where form.tickets != nil:
            if var tickets = form.tickets {
                tickets.cursor = (tickets.cursor + 1) % tickets.rows.count
                form.tickets = tickets
            }
        case .character("+") where form.tickets != nil, .character("-") where form.tickets != nil:
            guard !form.busy, !form.requoting, var tickets = form.tickets else { return [] }
            guard key == .character("+") ? tickets.add() : tickets.remove() else { return [] }
            form.tickets = tickets
            form.requoting = true
            return [send(.quote(tickets: tickets.arguments))]
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
            guard !token.isEmpty, link == .ready, session != nil, !form.requoting else { return [] }
            form.busy = true
            form.declined = nil
            form.priceChangedFrom = nil
            payInFlight = true
            // The amount is the total on the screen: should the seats cost another by now, nothing is paid.
            return [
                send(
                    .pay(
                        token: token, amount: form.quote.total, currency: form.quote.currency,
                        tickets: form.tickets?.arguments ?? []))
            ]
        default: break
        }
        return []
    }

    // MARK: Lines (plain mode)

    mutating func handleLine(_ line: String) -> [KioskAction] {
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
                return pickShow(at: number - 1, list)
            }
            let words = lower.split(separator: " ")
            if words.first == "d" || words.first == "f", words.count <= 2 {
                let byDay = words.first == "d"
                let count = byDay ? list.days.count : list.films.count
                let number = words.count == 2 ? Int(words[1]) : nil
                if words.count == 2, !(number.map { $0 >= 1 && $0 <= count } ?? false) {
                    notice = Notice(
                        "Please answer with a \(byDay ? "day" : "film")'s number, from 1 to \(count).", warning: true)
                    return []
                }
                list.browse = byDay ? .byDay : .byFilm
                if let number {
                    if byDay { list.day = list.days[number - 1] } else { list.film = list.films[number - 1] }
                    list.shows = []
                    list.cursor = 0
                }
                return browse(list)
            }
            notice = Notice(
                "Please answer with a show's number, d and a day's number, f and a film's number, m or q.",
                warning: true)
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
            } else if ["b", "best", "b+", "best+"].contains(words.first), words.count == 2, let count = Int(words[1]) {
                actions = askBest(count, adding: words[0].hasSuffix("+"), &seats)
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
            if let sign = line.first, sign == "+" || sign == "-", var tickets = form.tickets {
                // `+2`: one more ticket of the second type listed (one fewer of its kind's default); `-2`: one fewer.
                guard let number = Int(line.dropFirst()), tickets.rows.indices.contains(number - 1) else {
                    notice = Notice("Please answer + or - and a ticket's number, such as +2.", warning: true)
                    return []
                }
                tickets.cursor = number - 1
                form.tickets = tickets
                screen = .payment(form)
                return handleKey(.character(sign))
            }
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
        case .paymentInDoubt(let doubt) where doubt.stage != .gaveUp:
            notice = Self.stillChecking
            return []
        case .ticket, .bookings, .paymentInDoubt:
            if isBookingsScreen, let actions = bookingChoiceLine(lower) { return actions }
            if lower == "m" || (lower == "r" && isBookingsScreen) { return openBookings() }
            if isBookingsScreen, let number = Int(lower) { return openTicket(number: number) }
            if lower == "q" { return logout() }
            return openShows()
        }
    }

    private var isBookingsScreen: Bool {
        if case .bookings = screen { return true }
        return false
    }
}
