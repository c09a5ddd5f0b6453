import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import Testing

/// Ticket codes through the protocol: PAY's `TICKET` line, BOOKINGS', and the store behind them.
@Suite("Ticket codes: PAY and BOOKINGS send them, each booking its own")
struct TicketTests {
    /// Books `seats` of `show` for a new customer `user`; returns the client, the booking id and the ticket code.
    static func book(_ harness: Harness, _ user: String, seats: String, show: String = "1") async throws
        -> (client: KioskClient, booking: String, ticket: TicketCode)
    {
        let client = try await harness.customer(user)
        _ = try await harness.session(client, show: show)
        try await harness.expectOK(client, "HOLD \(seats)")
        let reply = try await harness.expectOK(client, "PAY tok_visa")
        let booking = String(try #require(reply.final.split(separator: " ").dropFirst(2).first))
        let line = try #require(reply.data.first { $0.hasPrefix("TICKET ") }, "PAY → \(reply.data)")
        let words = line.split(separator: " ")
        try #require(words.count == 3 && words[1] == booking, "\(line)")
        let ticket = try #require(TicketCode(words[2]), "\(line)")
        return (client, booking, ticket)
    }

    @Test("PAY sends TICKET <booking> <code> before OK BOOKED; the code is the show's id and 128 random bits")
    func payIssuesATicket() async throws {
        try await Harness.run("ticket-pay") { harness in
            let (_, booking, ticket) = try await Self.book(harness, "tina", seats: "A1 A2")
            #expect(ticket.show == ShowID("1")!)
            #expect(ticket.rawValue.hasPrefix("1.") && ticket.rawValue.count == 2 + 32)
            let show = ShowID("1")!
            let stored = try await harness.redisCommand(
                "HGET", harness.keys.booking(show, BookingID(booking)!), "ticket")
            #expect(stored.string == ticket.rawValue)
            let index = try await harness.redisCommand("HGET", harness.keys.tickets(show), ticket.rawValue)
            #expect(index.string == booking)
        }
    }

    @Test("Every booking gets a code of its own; BOOKINGS sends TYPES, then TICKET, right after each BOOKING")
    func bookingsListTickets() async throws {
        try await Harness.run("ticket-list") { harness in
            let first = try await Self.book(harness, "ulla", seats: "A1")
            _ = try await harness.session(first.client, show: "3")
            try await harness.expectOK(first.client, "HOLD B1")
            let paid = try await harness.expectOK(first.client, "PAY tok_visa")
            let second = try #require(paid.data.first.flatMap { TicketCode($0.split(separator: " ").last!) })
            #expect(second != first.ticket && second.show == ShowID("3")!)
            let other = try await Self.book(harness, "vera", seats: "A2")
            #expect(other.ticket != first.ticket)

            let reply = try await harness.expectOK(first.client, "BOOKINGS")
            #expect(reply.final == "OK 2")
            // Each booking's TYPES line (its seats' ticket types) comes after its TICKET line.
            let lines = reply.data.filter { !$0.hasPrefix("TYPES ") }
            #expect(lines.count == 4 && reply.data.count == 6)
            for index in stride(from: 0, to: lines.count, by: 2) {
                let booking = lines[index].split(separator: " ")
                let ticket = lines[index + 1].split(separator: " ")
                #expect(booking.first == "BOOKING" && ticket.first == "TICKET" && ticket[1] == booking[1])
                #expect(TicketCode(ticket[2])?.show == ShowID(booking[2]))
            }
            #expect(reply.data.contains("TICKET \(first.booking) \(first.ticket)"))
        }
    }

    @Test("Ticket codes are read strictly: the show id, a dot, 32 lowercase hex digits")
    func codeGrammar() {
        let digits = String(repeating: "0f", count: 16)
        #expect(TicketCode("1.\(digits)")?.show == ShowID("1"))
        #expect(TicketCode("evening_2.\(digits)")?.show == ShowID("evening_2"))
        for bad in [
            "1.\(digits.uppercased())", "1.\(digits)0", "1.\(digits.dropLast())", ".\(digits)", "1\(digits)",
            "a b.\(digits)", String(repeating: "x", count: 33) + ".\(digits)", "1.\(digits.dropLast())g",
        ] {
            #expect(TicketCode(bad) == nil, "\(bad)")
        }
    }
}

extension KioskClient.Reply {
    /// The reply with only its `BOOKING` data lines (a BOOKINGS reply without its `TICKET` lines).
    var bookingLines: (data: [String], final: String) {
        (data.filter { $0.hasPrefix("BOOKING ") }, final)
    }
}
