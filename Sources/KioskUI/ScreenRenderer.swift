import BoxOfficeCore
import Foundation
import TicketPrint

/// Draws a kiosk's state as lines of plain text for a terminal of a given size: a title bar, the screen's body,
/// a notice line, and the keys the screen takes, always at the bottom. Every line is exactly `width` characters
/// wide and there are exactly `height` lines; no escape sequences (the shell adds those).
public struct ScreenRenderer: Sendable {
    /// The terminal's columns.
    public var width: Int
    /// The terminal's rows.
    public var height: Int

    /// Creates a renderer for a terminal of `width` columns and `height` rows (at least 20 by 4 are used; a
    /// smaller terminal shows the frame's top left).
    public init(width: Int, height: Int) {
        self.width = max(width, 20)
        self.height = max(height, 4)
    }

    /// The symbol a seat of `kind` in `state` is drawn with: those of `boxofficectl seats` (``SeatMark``), and `+`
    /// for a chosen seat, `*` for one held for the customer; the legend explains them.
    public static func symbol(_ state: SeatState, kind: SeatKind, chosen: Bool) -> Character {
        if chosen { return "+" }
        switch state {
        case .mine: return "*"
        case .held: return SeatMark.held.symbol
        case .sold: return SeatMark.sold.symbol
        case .blocked: return SeatMark.blocked.symbol
        case .available: return SeatMark(free: kind).symbol
        }
    }

    /// The legend under the seat map.
    public static let legend = [
        (SeatMark.available.symbol, "free"), (SeatMark.premium.symbol, "premium"),
        (SeatMark.wheelchair.symbol, "wheelchair"), (SeatMark.held.symbol, "held"), (SeatMark.sold.symbol, "sold"),
        (SeatMark.blocked.symbol, "blocked"), ("+", "chosen"), ("*", "yours"),
    ].map { "\($0) \($1)" }.joined(separator: "  ")

    /// The countdown shown while seats are held: `Time left 4:05`, with a warning in the last minute.
    public static func countdown(_ seconds: Int) -> String {
        let text = "Time left \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        return seconds <= 60 ? text + " - hurry, your seats will be released!" : text
    }

    /// The whole frame.
    public func frame(_ kiosk: Kiosk) -> [String] {
        var top = "BoxOffice - " + title(kiosk)
        var right: [String] = []
        if kiosk.refused {
            right.append("Out of order")
        } else if kiosk.link != .ready {
            right.append(kiosk.hasConnected ? "Reconnecting..." : "Connecting...")
        }
        if let name = kiosk.customerName, !isWelcome(kiosk) { right.append(name) }
        if let seconds = kiosk.secondsLeft, isBooking(kiosk) { right.append(Self.countdown(seconds)) }
        let rightText = right.joined(separator: " | ")
        if top.count + rightText.count + 2 > width { top = String(top.prefix(max(0, width - rightText.count - 2))) }
        let header = top + String(repeating: " ", count: max(1, width - top.count - rightText.count)) + rightText
        let keys = wrap(keyHelp(kiosk), width: width)
        let notice =
            kiosk.stillThereWords.map { "! " + $0 } ?? kiosk.shownNotice.map { ($0.isWarning ? "! " : "") + $0.text }
        var noticeLines = notice.map { wrap($0, width: width) } ?? []
        // A notice longer than the room left by the header and the keys is cut, and says so with "...".
        let noticeRoom = max(1, height - 3 - keys.count)
        if noticeLines.count > noticeRoom {
            noticeLines = Array(noticeLines.prefix(noticeRoom))
            noticeLines[noticeRoom - 1] = String(noticeLines[noticeRoom - 1].prefix(max(0, width - 3))) + "..."
        }
        let bodyHeight = max(0, height - 2 - keys.count - 1 - max(1, noticeLines.count))
        var body = bodyHeight > 0 ? self.body(kiosk, height: bodyHeight) : []
        if body.count > bodyHeight { body = Array(body.prefix(bodyHeight)) }
        body += Array(repeating: "", count: bodyHeight - body.count)
        var lines = [header, String(repeating: "=", count: width)] + body
        lines += noticeLines.isEmpty ? [""] : noticeLines
        lines.append(String(repeating: "-", count: width))
        lines += keys
        return lines.prefix(height).map { fit($0) }
    }

    private func fit(_ line: String) -> String {
        line.count >= width ? String(line.prefix(width)) : line + String(repeating: " ", count: width - line.count)
    }

    private func isWelcome(_ kiosk: Kiosk) -> Bool {
        if case .welcome = kiosk.screen { return true }
        return false
    }

    private func isBooking(_ kiosk: Kiosk) -> Bool {
        switch kiosk.screen {
        case .seats, .payment: true
        default: false
        }
    }

    private func title(_ kiosk: Kiosk) -> String {
        switch kiosk.screen {
        case .welcome: "Welcome"
        case .shows(let list): list.browse == .byDay ? "Shows by day" : "Shows by film"
        case .seats: "Choose your seats"
        case .payment: "Payment"
        case .paymentInDoubt: "Checking your payment"
        case .ticket: "Your ticket"
        case .bookings: "My bookings"
        }
    }

    /// The keys of the current screen, in words.
    public func keyHelp(_ kiosk: Kiosk) -> String {
        switch kiosk.screen {
        case .welcome(let form):
            switch form.step {
            case .choose: return "[Up/Down] choose   [Enter] continue   [1] log in   [2] new customer"
            case .name: return "Type your name   [Enter] next   [Backspace] erase   [Esc] back"
            case .password:
                return "Type your password   [Enter] \(form.registering ? "create account" : "log in")   [Esc] back"
            }
        case .shows(let list):
            // "[Enter] pick seats" only once the list is there: an Enter before that would pick nothing.
            guard list.loaded else { return "Loading the shows...   [m] my bookings   [q] log out" }
            if list.starting { return "Opening the seats...   [m] my bookings   [q] log out" }
            // Left and Right move along the strip (days or films), Up and Down along the shows.
            let arrows = list.browse == .byDay ? "[Arrows] day, show" : "[Arrows] film, show"
            let other = list.browse == .byDay ? "[f] by film" : "[f] by day"
            return "\(arrows) [Enter] pick seats \(other) [m] my bookings [q] log out"
        case .seats(let seats):
            guard seats.map.isLoaded else { return "Loading the seats...   [q] back" }
            switch seats.prompt {
            case .find("B"): return "Type a seat such as B12, or [Enter] the best seats together   [Esc] cancel"
            case .find("Q"): return "Type a seat such as Q12, or [Enter] back to the shows   [Esc] cancel"
            case .find: return "Type a seat such as F12   [Enter] go there   [Esc] cancel"
            case .best(_, let adding):
                let plus = seats.map.mine.isEmpty ? "" : adding ? "[+] in place of yours   " : "[+] add to yours   "
                return "Type how many seats   \(plus)[Enter] find the best seats together   [Esc] cancel"
            case nil:
                let enter = seats.map.hasPendingChanges || seats.map.mine.isEmpty ? "hold" : "pay"
                return "[Arrows] move [Space] choose [Enter] \(enter) [b Enter] best [/] find [Esc] back"
            }
        case .payment(let form):
            if form.busy { return "One moment, please..." }
            let pay = form.priceChangedFrom == nil ? "pay" : "pay the new total"
            let tickets = form.tickets == nil ? "" : "[Tab] ticket [+/-] how many   "
            return kiosk.configuration.demo
                ? "\(tickets)[Up/Down] or [1-4] choose a test card   [Enter] \(pay)   [Esc] back to seats"
                : "\(tickets)Type the payment token   [Enter] \(pay)   [Esc] back to seats"
        case .paymentInDoubt(let doubt) where doubt.stage != .gaveUp: return "Please wait..."
        case .ticket, .paymentInDoubt: return "[Enter] more shows   [m] my bookings   [q] log out"
        case .bookings(.failed): return "[r] try again   [Enter] or [Esc] back to the shows"
        case .bookings(.loaded(let bookings)) where !bookings.isEmpty:
            switch kiosk.bookingChoice.stage {
            case .choosing:
                return "[1-\(min(bookings.count, 9))] show a ticket  [Up/Down] choose  [c] cancel it  [Enter] back"
            case .confirming: return "[y] yes, cancel it and refund me   [n] no, keep it"
            case .sending: return "Cancelling..."
            }
        case .bookings: return "[Enter] or [Esc] back to the shows"
        }
    }

    // MARK: Bodies

    private func body(_ kiosk: Kiosk, height: Int) -> [String] {
        switch kiosk.screen {
        case .welcome(let form): welcome(form)
        case .shows(let list): shows(list, kiosk, height: height)
        case .seats(let seats): seatMap(seats, kiosk, height: height)
        case .payment(let form): payment(form, kiosk)
        case .paymentInDoubt(let doubt): paymentInDoubt(doubt)
        case .ticket(let booking): ticket(booking, kiosk, height: height)
        case .bookings(let bookings): bookingList(bookings, kiosk)
        }
    }

    private func welcome(_ form: WelcomeForm) -> [String] {
        var lines = ["", "  Welcome to the cinema! Buy your tickets here.", ""]
        switch form.step {
        case .choose:
            lines.append("  \(form.choice == 0 ? ">" : " ") 1  Log in")
            lines.append("  \(form.choice == 1 ? ">" : " ") 2  New customer: create an account")
        case .name, .password:
            lines.append(form.registering ? "  Create an account" : "  Log in")
            lines.append("")
            lines.append("  Name:     \(form.name)\(form.step == .name ? "_" : "")")
            if form.step == .password {
                lines.append("  Password: \(String(repeating: "*", count: form.password.count))_")
            }
            if form.busy { lines += ["", "  One moment, please..."] }
        }
        return lines
    }

    private func shows(_ list: ShowList, _ kiosk: Kiosk, height: Int) -> [String] {
        guard list.loaded else { return ["", "  Loading the shows..."] }
        var lines: [String]
        switch list.browse {
        case .byDay:
            let names = list.days.map { dayName($0, kiosk, short: true) }
            lines = [strip(names, chosen: list.days.firstIndex { $0 == list.day }), ""]
            let day = list.day.map { dayName($0, kiosk, short: false) } ?? ""
            guard !list.shows.isEmpty else { return lines + ["  \(day): no shows left. Try another day."] }
            lines.append("  Shows on \(day)")
        case .byFilm:
            lines = [strip(list.films, chosen: list.films.firstIndex { $0 == list.film }), ""]
            guard !list.shows.isEmpty else { return lines + ["  No shows are on sale."] }
            lines.append("  \(list.film ?? ""): every show")
        }
        var cursorLine = 0
        var group = ""
        for (index, show) in list.shows.enumerated() {
            let heading = list.browse == .byDay ? show.title : dayName(show.start, kiosk, short: false)
            if heading != group {
                group = heading
                lines.append("")
                lines.append("  \(heading)")
            }
            if index == list.cursor { cursorLine = lines.count }
            let screen =
                kiosk.screenNames[show.screenID].map { "Screen \(show.screenID) \($0)" } ?? "Screen \(show.screenID)"
            let price = kiosk.prices[show.id]?.summary ?? ""
            lines.append(
                "  \(index == list.cursor ? ">" : " ") \(format(show.start, "HH:mm", kiosk))  \(pad(screen, 18))  \(pad(show.seatsLeftWords ?? "", 20))\(price)"
            )
        }
        return Array(lines.prefix(3)) + scroll(Array(lines.dropFirst(3)), around: cursorLine - 3, height: height - 3)
    }

    /// `day` for a customer: `Today, Monday 30 November`, `Tomorrow, ...`, or the date; `short` for the strip
    /// (`Today`, `Tomorrow`, `Wed 2 Dec`).
    func dayName(_ day: Date, _ kiosk: Kiosk, short: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = kiosk.timeZone
        let date = format(day, short ? "EEE d MMM" : "EEEE d MMMM", kiosk)
        let today = calendar.startOfDay(for: kiosk.now)
        let days = calendar.dateComponents([.day], from: today, to: calendar.startOfDay(for: day)).day
        switch days {
        case 0: return short ? "Today" : "Today, \(date)"
        case 1: return short ? "Tomorrow" : "Tomorrow, \(date)"
        default: return date
        }
    }

    /// One line of choices, the chosen one in brackets, cut to the width around the chosen one (`<` and `>` say
    /// that more lies that way).
    private func strip(_ items: [String], chosen: Int?) -> String {
        let cells = items.enumerated().map { index, item in index == chosen ? "[\(item)]" : " \(item) " }
        var first = chosen ?? 0
        var last = first
        var used = cells.isEmpty ? 0 : cells[first].count
        let room = width - 6
        while true {
            if last + 1 < cells.count, used + cells[last + 1].count <= room {
                last += 1
                used += cells[last].count
            } else if first > 0, used + cells[first - 1].count <= room {
                first -= 1
                used += cells[first].count
            } else {
                break
            }
        }
        guard !cells.isEmpty else { return "" }
        return (first > 0 ? "< " : "  ") + cells[first...last].joined() + (last < cells.count - 1 ? " >" : "")
    }

    private func scroll(_ lines: [String], around line: Int, height: Int) -> [String] {
        guard lines.count > height, height > 0 else { return lines }
        let start = min(max(0, line - height / 2), lines.count - height)
        return Array(lines[start..<(start + height)])
    }

    private func seatMap(_ seats: SeatScreen, _ kiosk: Kiosk, height: Int) -> [String] {
        let map = seats.map
        var lines: [String] = []
        let show = kiosk.listing(map.showID)
        var heading =
            show.map { "\($0.title), \(format($0.start, "EEEE d MMMM, HH:mm", kiosk))" } ?? "Show \(map.showID)"
        if let auditorium = map.auditorium {
            heading +=
                ", Screen \(auditorium.screenID)" + (auditorium.screenName.isEmpty ? "" : " \(auditorium.screenName)")
        }
        lines.append(heading)
        guard let auditorium = map.auditorium, map.isLoaded else {
            return lines + ["", "  Loading the seats..."]
        }
        let labelWidth = auditorium.rows.map(\.name.count).max() ?? 1
        let available = width - 2 * (labelWidth + 2)
        let cell = auditorium.width * 3 <= available ? 3 : 2
        let mapWidth = auditorium.width * cell
        let indent = max(0, (width - mapWidth - 2 * (labelWidth + 2)) / 2)
        let pad = String(repeating: " ", count: indent + labelWidth + 2)
        let screenLabel = " SCREEN "
        let side = max(0, (mapWidth - screenLabel.count) / 2)
        lines.append(
            pad + String(repeating: "_", count: side) + screenLabel
                + String(repeating: "_", count: max(0, mapWidth - side - screenLabel.count)))
        lines.append(pad + columnNumbers(auditorium, cell: cell))
        var rowLines: [String] = []
        for (rowIndex, row) in auditorium.rows.enumerated() {
            var text =
                String(repeating: " ", count: indent)
                + row.name.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
            for place in row.places.indices {
                let isCursor = rowIndex == map.cursor.row && place == map.cursor.place
                guard let seat = auditorium.seat(row: rowIndex, place: place) else {
                    text += String(repeating: " ", count: cell)
                    continue
                }
                let symbol = Self.symbol(
                    map.state(of: seat.id), kind: seat.kind, chosen: map.selection.contains(seat.id))
                let shown: Character = map.unselected.contains(seat.id) ? "-" : symbol
                if cell == 3 {
                    text += isCursor ? "[\(shown)]" : " \(shown) "
                } else {
                    text += isCursor ? ">\(shown)" : " \(shown)"
                }
            }
            text += String(repeating: " ", count: (auditorium.width - row.places.count) * cell) + "  " + row.name
            rowLines.append(text)
        }
        let below = 3
        let room = max(1, height - lines.count - below)
        lines += scroll(rowLines, around: map.cursor.row, height: room)
        lines.append("")
        lines.append(Self.legend + (map.unselected.isEmpty ? "" : "  - to release"))
        var status: [String] = []
        if let seat = map.seatUnderCursor {
            let price =
                kiosk.prices[map.showID]?.prices[seat.kind].map {
                    ", " + Money.format($0, kiosk.prices[map.showID]!.currency)
                } ?? ""
            status.append("Seat \(seat.id) (\(seat.kind.rawValue)\(price))")
        }
        if !map.mine.isEmpty { status.append("Yours: " + Kiosk.list(Array(map.mine))) }
        if !map.selection.isEmpty { status.append("Chosen: " + Kiosk.list(Array(map.selection))) }
        switch seats.prompt {
        case .find(let text): status = ["Go to seat: \(text)_"]
        case .best(let text, let adding):
            let mine = Kiosk.list(Array(map.mine))
            let way = map.mine.isEmpty ? "" : adding ? " (besides your seats \(mine))" : " (in place of \(mine))"
            status = ["How many seats together\(way)? \(text)_"]
        case nil: if seats.busy { status.append("One moment, please...") }
        }
        lines.append(status.joined(separator: "   "))
        return lines
    }

    /// The seat numbers above the map's columns, each over its seats: a column whose seats have different numbers
    /// in different rows (aisles in other places) has none. With narrow cells only 1 and every fifth are written.
    private func columnNumbers(_ auditorium: Auditorium, cell: Int) -> String {
        var text = ""
        for place in 0..<auditorium.width {
            let numbers = Set(
                auditorium.rows.indices.compactMap { auditorium.seat(row: $0, place: place)?.id.number })
            guard numbers.count == 1, let number = numbers.first, cell == 3 || number == 1 || number % 5 == 0 else {
                text += String(repeating: " ", count: cell)
                continue
            }
            // Under the symbol: the middle of a 3-wide cell, the last of a 2-wide one.
            let digits = String(number)
            let cellText =
                cell == 3
                ? (digits.count == 1
                    ? " \(digits) " : String(digits.prefix(3)).padding(toLength: 3, withPad: " ", startingAt: 0))
                : String(repeating: " ", count: max(0, 2 - digits.count)) + digits
            text += cellText
        }
        return text
    }

    private func payment(_ form: PaymentForm, _ kiosk: Kiosk) -> [String] {
        var lines = [""]
        if let show = kiosk.listing(form.map.showID) {
            lines.append("  \(show.title), \(format(show.start, "EEEE d MMMM, HH:mm", kiosk))")
        }
        lines.append("  Seats: " + Kiosk.list(Array(form.map.mine)))
        lines.append("")
        if let tickets = form.tickets {
            lines.append("  Tickets: how many of each?")
            for (index, row) in tickets.rows.enumerated() {
                lines.append(
                    "  \(index == tickets.cursor ? ">" : " ") \(row.count) x \(row.name), \(row.kind.rawValue) seat, "
                        + Money.format(row.unit, form.quote.currency))
            }
            lines.append("")
        }
        for item in form.quote.items {
            let what = item.type.map { form.tickets?.name(of: $0) ?? $0 }.map { "\($0), \(item.kind)" } ?? item.kind
            lines.append(
                "  \(item.count) x \(pad(what, item.type == nil ? 10 : 30)) at \(pad(Money.format(item.unit, form.quote.currency), 12)) \(Money.format(item.subtotal, form.quote.currency))"
            )
        }
        lines.append("  Total: \(Money.format(form.quote.total, form.quote.currency))")
        if let vat = form.quote.vat {
            lines.append(
                "  Includes VAT at \(Money.percent(vat.basisPoints)): \(Money.format(vat.amount, form.quote.currency))")
        }
        if form.requoting { lines.append("  Reading the price...") }
        lines.append("")
        if let from = form.priceChangedFrom, !form.busy {
            lines += [
                "  The price changed before you paid: it was \(Money.format(from.total, from.currency)).",
                "  Nothing was charged; the total above is the new price.", "",
            ]
        }
        if let declined = form.declined { lines += ["  Payment failed: \(declined) You can try again.", ""] }
        if kiosk.configuration.demo {
            lines.append("  Demo mode: choose a test card")
            for (index, token) in KioskConfiguration.demoTokens.enumerated() {
                lines.append(
                    "  \(index == form.tokenIndex ? ">" : " ") \(index + 1)  \(pad(token.token, 36)) \(token.label)")
            }
        } else {
            lines.append("  Payment token: \(form.typed)_")
        }
        if form.busy {
            lines.append("")
            lines.append(form.priceChangedFrom == nil ? "  Paying, one moment please..." : "  Reading the new price...")
        }
        return lines
    }

    private func paymentInDoubt(_ doubt: PaymentInDoubt) -> [String] {
        var lines = [""]
        switch doubt.stage {
        case .checking:
            lines += [
                "  Checking your payment...", "",
                "  The connection to the box office was interrupted while you were paying.",
                "  Please wait here while we find out whether your payment went through.",
                "  This can take up to two minutes.",
            ]
        case .booked:
            lines += ["  Your payment went through. Fetching your ticket...", "", "  Please wait here."]
        case .gaveUp:
            lines += [
                "  We could not find out whether your payment went through.", "",
                "  Please ask a member of staff for help before you pay again.",
                "  You are never charged without a booking.",
            ]
        }
        let quote = doubt.form.quote
        lines += [
            "",
            "  Seats: " + Kiosk.list(Array(doubt.form.map.mine)) + "   Total: "
                + Money.format(quote.total, quote.currency),
        ]
        return lines
    }

    /// The ticket: the booking in a box and, when the booking has a ticket code, its QR code under the box, or
    /// beside the details when there is no room under it; in a terminal too small for either, the code in text and
    /// where to find the QR code.
    private func ticket(_ booking: Booking, _ kiosk: Kiosk, height: Int) -> [String] {
        let show = kiosk.listing(booking.showID)
        let screen = show.map { id in kiosk.screenNames[id.screenID].map { "\(id.screenID) \($0)" } ?? id.screenID }
        let start = show?.start ?? booking.start
        let rows = [
            "Thank you! Your booking is confirmed.",
            "",
            "Film:     \(show?.title ?? "show \(booking.showID)")",
            "Screen:   \(screen ?? "")",
            "Time:     \(start.map { format($0, "EEEE d MMMM yyyy, HH:mm", kiosk) } ?? "")",
            "Seats:    \(booking.seats.joined(separator: " "))",
            "Paid:     \(booking.amount.map { Money.format($0, booking.currency ?? "") } ?? "")",
            "Booking:  \(booking.id)",
        ]
        let inner = min(width - 6, (rows.map(\.count).max() ?? 0) + 4)
        var lines = ["", "  +" + String(repeating: "-", count: inner) + "+"]
        for row in rows { lines.append("  |  " + pad(row, inner - 2) + "|") }
        lines.append("  +" + String(repeating: "-", count: inner) + "+")
        guard let code = booking.ticketCode, let qr = try? QRCode(encoding: code).halfBlockLines() else {
            return lines
        }
        let qrWidth = qr.first?.count ?? 0
        if lines.count + 1 + qr.count <= height, 2 + qrWidth <= width {
            return lines + [""] + qr.map { "  " + $0 }
        }
        // Beside: the QR code on the left, the details (and the code) wrapped to its right.
        let room = width - qrWidth - 4
        if qr.count <= height, room >= 24 {
            let details = (rows + ["", "Ticket code:", code]).flatMap { wrap($0, width: room) }
            if details.count <= qr.count {
                return qr.enumerated().map { index, line in
                    "  " + line + (index < details.count ? "  " + details[index] : "")
                }
            }
        }
        return lines + [""] + wrap("Your ticket code: \(code)", width: width - 4).map { "  " + $0 }
            + wrap(
                "This window is too small for its QR code: find the ticket in My bookings on a larger screen, or show the code at the door.",
                width: width - 4
            ).map { "  " + $0 }
    }

    /// The columns of `line` that a QR code's half blocks fill (``QRCode/halfBlockLines()``), from its first to its
    /// last block; nil for a line without one. The shell draws them in ``QRCode/terminalColours``.
    public static func qrColumns(in line: String) -> Range<Int>? {
        let blocks: Set<Character> = ["▀", "▄", "█"]
        let characters = Array(line)
        guard let first = characters.firstIndex(where: blocks.contains),
            let last = characters.lastIndex(where: blocks.contains)
        else { return nil }
        return first..<(last + 1)
    }

    private func bookingList(_ list: BookingList, _ kiosk: Kiosk) -> [String] {
        let bookings: [Booking]
        switch list {
        case .loading: return ["", "  Loading your bookings..."]
        case .failed(let words): return [""] + wrap(words, width: width - 2).map { "  " + $0 }
        case .loaded(let loaded): bookings = loaded
        }
        guard !bookings.isEmpty else { return ["", "  You have no bookings yet."] }
        var lines = [""]
        let choice = kiosk.bookingChoice
        for (index, booking) in bookings.enumerated() {
            let title = kiosk.listing(booking.showID)?.title ?? "Show \(booking.showID)"
            let when = booking.start.map { format($0, "EEE d MMM HH:mm", kiosk) } ?? ""
            let amount = booking.amount.map { Money.format($0, booking.currency ?? "") } ?? ""
            let number = index < 9 ? "\(index + 1)" : " "
            lines.append("\(index == choice.index ? ">" : " ") \(number)  \(booking.id)  \(when)  \(title)")
            lines.append("         seats \(booking.seats.joined(separator: " "))   paid \(amount)")
            if index == choice.index, choice.stage != .choosing {
                lines.append("         Cancel this booking and refund \(amount)? [y] yes  [n] no")
            }
        }
        return lines
    }

    // MARK: Helpers

    private func pad(_ text: String, _ count: Int) -> String {
        text.count >= count ? text : text + String(repeating: " ", count: count - text.count)
    }

    func format(_ date: Date, _ pattern: String, _ kiosk: Kiosk) -> String {
        DateFormats.string(from: date, pattern: pattern, timeZone: kiosk.timeZone)
    }
}

/// Breaks `text` into lines of at most `width` characters at spaces.
func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if !line.isEmpty, line.count + 1 + word.count > width {
            lines.append(line)
            line = String(word)
        } else {
            line += (line.isEmpty ? "" : " ") + word
        }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}
