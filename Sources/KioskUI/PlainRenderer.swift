import BoxOfficeCore
import Foundation

/// Describes a kiosk's state in plain sentences and numbered menus, for screen readers and scripts
/// (`--plain`): no escape sequences, no drawing, and nothing that changes by itself (the countdown is said when
/// seats are held, not ticked).
public struct PlainRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The text of the current screen, ending with the question the next line answers.
    public func text(_ kiosk: Kiosk) -> [String] {
        screenText(kiosk) + Self.stillThere(kiosk)
    }

    private func screenText(_ kiosk: Kiosk) -> [String] {
        let clock = ScreenRenderer(width: 80, height: 24)
        var lines: [String] = []
        if kiosk.refused {
            lines.append(Kiosk.refusedNotice.text)
        } else if kiosk.link != .ready {
            // Before the first connection there is nothing to answer yet: the menu comes once, when it can be used.
            guard kiosk.hasConnected else { return ["Connecting to the box office..."] }
            lines.append("Reconnecting...")
        }
        switch kiosk.screen {
        case .welcome(let form):
            switch form.step {
            case .choose:
                lines += [
                    "Welcome to the cinema.", "1. Log in", "2. New customer: create an account", "Answer 1 or 2:",
                ]
            case .name:
                lines.append("Type your name:")
            case .password:
                lines.append(form.busy ? "One moment, please." : "Type your password:")
            }
        case .shows(let list):
            // Said once its prices are known, not again as each answer comes.
            guard list.loaded, list.detailsAwaited == 0 else { return lines + ["Loading the shows."] }
            switch list.browse {
            case .byDay:
                let day = list.day.map { clock.dayName($0, kiosk, short: false) } ?? ""
                lines.append(list.shows.isEmpty ? "\(day): no shows left." : "Shows on \(day):")
            case .byFilm:
                lines.append(list.shows.isEmpty ? "No shows are on sale." : "Every show of \(list.film ?? ""):")
            }
            for (index, show) in list.shows.enumerated() {
                let what =
                    list.browse == .byDay
                    ? show.title : clock.dayName(show.start, kiosk, short: false)
                let left = show.seatsLeftWords.map { ", \($0)" } ?? ""
                let price = kiosk.prices[show.id].map { ", \($0.summary)" } ?? ""
                lines.append(
                    "\(index + 1). \(what) at \(clock.format(show.start, "HH:mm", kiosk)), screen \(show.screenID)\(left)\(price)"
                )
            }
            lines.append(
                "Days: "
                    + list.days.enumerated().map { "d\($0 + 1) \(clock.dayName($1, kiosk, short: true))" }
                    .joined(separator: ", ") + ".")
            lines.append(
                "Films: " + list.films.enumerated().map { "f\($0 + 1) \($1)" }.joined(separator: ", ") + ".")
            lines.append(
                "Answer a show's number, d and a day's number (d 2), f and a film's number (f 1), m for my bookings, or q to log out:"
            )
        case .seats(let seats):
            let map = seats.map
            guard let auditorium = map.auditorium, map.isLoaded else { return lines + ["Loading the seats."] }
            if seats.busy { return lines + ["One moment, please."] }
            lines.append("Free seats, front row first:")
            for row in auditorium.rows {
                let free = row.seats.filter { map.state(of: $0.id) == .available }
                guard !free.isEmpty else { continue }
                lines.append(
                    "Row \(row.name): "
                        + free.map { $0.kind == .standard ? $0.id.description : "\($0.id) (\($0.kind.rawValue))" }
                        .joined(separator: " "))
            }
            if !map.mine.isEmpty {
                lines.append("Held for you: \(Kiosk.list(Array(map.mine))).")
                lines += Self.timeLeft(kiosk)
            }
            lines.append(
                map.mine.isEmpty
                    ? "Type the seats you want (for example F12 F13), b and a number for the best seats together, p to pay, or q to go back:"
                    : "Type more seats (for example F12 F13), b and a number for the best seats together in place of yours (b+ and a number to add them), p to pay, or q to go back:"
            )
        case .payment(let form):
            for item in form.quote.items {
                let what = item.type.map { "\(form.tickets?.name(of: $0) ?? $0), \(item.kind)" } ?? item.kind
                lines.append(
                    "\(item.count) \(what) at \(Money.format(item.unit, form.quote.currency)): \(Money.format(item.subtotal, form.quote.currency))"
                )
            }
            let total = Money.format(form.quote.total, form.quote.currency)
            if let from = form.priceChangedFrom, !form.busy {
                lines.append(
                    "The price changed before you paid: it was \(Money.format(from.total, from.currency)), it is now \(total). Nothing was charged."
                )
            }
            lines.append("Total: \(total).")
            if let vat = form.quote.vat {
                lines.append(
                    "Includes VAT at \(Money.percent(vat.basisPoints)): \(Money.format(vat.amount, form.quote.currency))."
                )
            }
            if let tickets = form.tickets {
                lines.append("Tickets:")
                for (index, row) in tickets.rows.enumerated() {
                    lines.append(
                        "Ticket \(index + 1): \(row.count) x \(row.name), \(row.kind.rawValue) seat, \(Money.format(row.unit, form.quote.currency)) each"
                    )
                }
                if form.requoting { return lines + ["Reading the price."] }
                lines.append("Answer + or - and a ticket's number (+2) for one more or one fewer of that ticket.")
            }
            if let declined = form.declined, !form.busy {
                lines.append("Payment failed: \(declined) You can try again.")
            }
            lines += Self.timeLeft(kiosk)
            if form.busy {
                return lines + [form.priceChangedFrom == nil ? "Paying, one moment please." : "Reading the new price."]
            }
            let pay = form.priceChangedFrom == nil ? "" : " to pay the new total of \(total)"
            if kiosk.configuration.demo {
                for (index, token) in KioskConfiguration.demoTokens.enumerated() {
                    lines.append("\(index + 1). \(token.token): \(token.label)")
                }
                lines.append("Answer a test card's number\(pay), or q to go back to the seats:")
            } else {
                lines.append("Type the payment token\(pay), or q to go back to the seats:")
            }
        case .paymentInDoubt(let doubt):
            switch doubt.stage {
            case .checking:
                lines += [
                    "Checking your payment. The connection to the box office was interrupted while you were paying.",
                    "Please wait here while we find out whether your payment went through; this can take up to two minutes.",
                ]
            case .booked:
                lines.append("Your payment went through. Fetching your ticket; please wait here.")
            case .gaveUp:
                lines += [
                    "We could not find out whether your payment went through.",
                    "Please ask a member of staff for help before you pay again. You are never charged without a booking.",
                    "Press Enter for more shows, m for my bookings, or q to log out:",
                ]
            }
        case .ticket(let booking):
            let show = kiosk.listing(booking.showID)
            lines.append("Your booking is confirmed. Booking \(booking.id).")
            if let show {
                lines.append(
                    "\(show.title), screen \(show.screenID), \(clock.format(show.start, "EEEE d MMMM yyyy, HH:mm", kiosk))."
                )
            }
            lines.append("Seats: \(booking.seats.joined(separator: " ")).")
            if let amount = booking.amount { lines.append("Paid \(Money.format(amount, booking.currency ?? "")).") }
            // The code in text: a screen reader would spell a QR code out block by block.
            if let code = booking.ticketCode { lines.append("Your ticket code, to show at the door: \(code)") }
            lines.append("Press Enter for more shows, m for my bookings, or q to log out:")
        case .bookings(.loading):
            return lines + ["Loading your bookings."]
        case .bookings(.failed(let words)):
            lines += [words, "Answer r to try again, or press Enter to go back to the shows:"]
        case .bookings(.loaded(let bookings)):
            if bookings.isEmpty { lines.append("You have no bookings yet.") }
            for (index, booking) in bookings.enumerated() {
                let title = kiosk.listing(booking.showID)?.title ?? "show \(booking.showID)"
                lines.append(
                    "\(index + 1). Booking \(booking.id): \(title), seats \(booking.seats.joined(separator: " ")).")
            }
            switch kiosk.bookingChoice.stage {
            case _ where bookings.isEmpty: lines.append("Press Enter to go back to the shows:")
            case .choosing:
                lines.append(
                    "Answer a booking's number to see its ticket, c and its number to cancel it (c 1), "
                        + "or press Enter to go back to the shows:")
            case .confirming:
                let booking = bookings[kiosk.bookingChoice.index]
                lines.append("Cancel booking \(booking.id) and refund it? Answer y to cancel, n to keep it:")
            case .sending: lines.append("Cancelling.")
            }
        }
        return lines
    }

    /// The "Still there?" question, said once when it comes up (it does not count down).
    static func stillThere(_ kiosk: Kiosk) -> [String] {
        guard kiosk.idleResetIn != nil else { return [] }
        let warning = Int(min(Kiosk.idleWarningSeconds, kiosk.configuration.idleResetSeconds / 2))
        return [
            "Still there? Press Enter to carry on; otherwise in \(warning) seconds we start again for the next customer."
        ]
    }

    /// The time left to pay, said twice only so that the text does not change every second: as the latest HOLD
    /// said it, and once in the last minute.
    static func timeLeft(_ kiosk: Kiosk) -> [String] {
        guard let seconds = kiosk.secondsLeft else { return [] }
        if seconds <= 60 { return ["Less than a minute is left to pay: hurry, your seats will be released!"] }
        guard let said = kiosk.session?.heldSeconds else { return [] }
        return ["You have \(said / 60) minutes \(said % 60) seconds to pay."]
    }
}
