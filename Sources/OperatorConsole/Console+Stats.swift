import BoxOfficeCore

/// The box office at a glance, from Redis alone (the daemon may be down).
public struct StatsReport: ConsoleReport {
    /// Shows not started yet and on sale; and those not started yet but withdrawn (counted nowhere else).
    public let upcomingShows: Int
    public let withdrawnShows: Int
    /// Seats of the upcoming shows on sale: on sale, sold, held right now, free.
    public let seats: Int
    public let seatsSold: Int
    public let seatsHeld: Int
    public let seatsFree: Int
    /// Bookings of every show, confirmed and cancelled; cancelled ones whose refund is still pending.
    public let bookings: Int
    public let cancelledBookings: Int
    public let refundsPending: Int
    /// What the confirmed bookings were paid, per currency, in minor units.
    public let revenue: [String: Int]
    /// Sessions open now (OPEN within their deadline, or PAYING), and how many of them are PAYING.
    public let openSessions: Int
    public let payingSessions: Int

    public var text: String {
        var table = Table("FIGURE", "VALUE>")
        table.add("upcoming shows on sale", String(upcomingShows))
        table.add("upcoming shows withdrawn", String(withdrawnShows))
        table.add("seats on sale (upcoming shows)", String(seats))
        table.add("  sold", String(seatsSold))
        table.add("  held", String(seatsHeld))
        table.add("  free", String(seatsFree))
        table.add("bookings confirmed", String(bookings - cancelledBookings))
        table.add("bookings cancelled", String(cancelledBookings))
        table.add("  refunds pending", String(refundsPending))
        if revenue.isEmpty { table.add("revenue", "0") }
        for currency in revenue.keys.sorted() {
            table.add("revenue \(currency)", MoneyText.number(revenue[currency] ?? 0, currency))
        }
        table.add("open sessions", String(openSessions))
        table.add("  paying", String(payingSessions))
        return table.text
    }
}

extension Console {
    /// Counts shows, seats, bookings, revenue and open sessions; seats only of the upcoming shows on sale.
    public func stats() async throws(ConsoleError) -> StatsReport {
        let upcoming = try await snapshots(of: upcomingShowIDs())
        let shows = upcoming.filter { !$0.isWithdrawn }
        let bookings = try await bookings().bookings
        let sessions = try await openSessions().sessions
        var revenue: [String: Int] = [:]
        for booking in bookings where booking.state == "CONFIRMED" {
            revenue[booking.currency, default: 0] += booking.amount
        }
        let cancelled = bookings.filter { $0.state == "CANCELLED" }
        return StatsReport(
            upcomingShows: shows.count, withdrawnShows: upcoming.count - shows.count,
            seats: shows.map(\.forSale.count).reduce(0, +), seatsSold: shows.map(\.soldCount).reduce(0, +),
            seatsHeld: shows.map(\.heldCount).reduce(0, +), seatsFree: shows.map(\.freeCount).reduce(0, +),
            bookings: bookings.count, cancelledBookings: cancelled.count,
            refundsPending: cancelled.filter { $0.refund != "REFUNDED" }.count, revenue: revenue,
            openSessions: sessions.count, payingSessions: sessions.filter { $0.state == "PAYING" }.count)
    }
}
