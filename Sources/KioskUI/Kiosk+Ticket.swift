import Foundation
import TicketPrint

// MARK: The ticket: on screen, and printed

extension Kiosk {
    /// Said when a ticket could not be printed; the booking stands, and its code is on the screen. One line of 80
    /// columns, so that the QR code keeps its room on the screen.
    static let notPrinted = Notice(
        "Your ticket could not be printed: show the code on screen at the door.", warning: true)

    /// Shows the ticket of a booking just made and, when the kiosk has a receipt printer, prints it.
    mutating func showNewTicket(_ booking: Booking) -> [KioskAction] {
        screen = .ticket(booking)
        return configuration.printer == nil ? [] : [.print(receipt(for: booking))]
    }

    /// Shows again the ticket of booking number `number` (from 1) of My bookings; nothing when there is none.
    mutating func openTicket(number: Int) -> [KioskAction] {
        guard case .bookings(.loaded(let bookings)) = screen, number >= 1, number <= bookings.count else {
            notice = Notice("There is no booking number \(number).", warning: true)
            return []
        }
        screen = .ticket(bookings[number - 1])
        return []
    }

    /// What the printed ticket of `booking` says: the show as the ticket screen names it, the time in the
    /// theatre's zone, the seats, the tickets by type with their prices, the total paid and the ticket code.
    func receipt(for booking: Booking) -> Receipt {
        let types = prices[booking.showID]?.types ?? []
        let items = booking.tickets.map { line in
            Receipt.Item(
                label: "\(line.count) x \(types.first(where: { $0.id == line.type })?.name ?? line.type)",
                amount: Money.format(line.count * line.unit, booking.currency ?? ""))
        }
        let show = listing(booking.showID)
        let screenName = show.map { show in
            screenNames[show.screenID].map { "\(show.screenID) \($0)" } ?? show.screenID
        }
        let start = show?.start ?? booking.start
        return Receipt(
            title: show?.title ?? "Show \(booking.showID)",
            time: start.map {
                DateFormats.string(from: $0, pattern: "EEEE d MMMM yyyy, HH:mm", timeZone: timeZone)
            } ?? "",
            screen: screenName ?? "", seats: booking.seats, items: items,
            total: booking.amount.map { Money.format($0, booking.currency ?? "") } ?? "", bookingID: booking.id,
            ticketCode: booking.ticketCode)
    }
}
