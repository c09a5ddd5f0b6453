import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import Testing

/// A customer's own CANCEL: the operator's path (refund, audit), the seats free at once, and its refusals.
@Suite("Customer CANCEL: refund, seats freed, cut-off, admission, other customers")
struct CustomerCancelTests {
    /// The show's audit entries of `event`, as field lists.
    static func entries(_ harness: Harness, _ event: String, show: String) async throws -> [[String]] {
        let entries = try await harness.redisCommand("XRANGE", harness.keys.audit(ShowID(show)!), "-", "+")
        return (entries.array ?? []).compactMap { entry in
            let fields = entry.array?.last?.array?.compactMap(\.string) ?? []
            return fields.count >= 2 && fields[1] == event ? fields : nil
        }
    }

    @Test("CANCEL refunds through the gateway, frees the seats at once, audits the customer; again changes nothing")
    func cancelRefunds() async throws {
        try await Harness.run("ccancel-ok") { harness in
            let (client, booking, ticket) = try await TicketTests.book(harness, "dora", seats: "B1 B2", show: "3")
            let watcher = try await harness.customer("eli")
            let reply = try await harness.expectOK(client, "CANCEL \(booking)")
            #expect(reply.final == "OK CANCELLED \(booking) 3 2000 EUR REFUNDED B1 B2")
            let seats = try await harness.seatStates(watcher, show: "3")
            #expect(seats["B1"] == "AVAILABLE" && seats["B2"] == "AVAILABLE")
            let show = ShowID("3")!
            let key = harness.keys.booking(show, BookingID(booking)!)
            let payment = try #require(try await harness.redisCommand("HGET", key, "payment").string)
            #expect(try await harness.services.gateway.lookup(idempotencyKey: payment)?.state == .refunded)
            #expect(try await harness.redisCommand("HGET", key, "refund_state").string == "REFUNDED")
            let cancels = try await Self.entries(harness, "cancel", show: "3")
            #expect(cancels.count == 1 && cancels.first?.contains("customer:dora") == true)
            #expect(try await Self.entries(harness, "refund", show: "3").count == 1)

            #expect(try await client.send("BOOKINGS").final == "OK 0")
            #expect(try await client.send("CANCEL \(booking)").final == "ERR UNKNOWN_BOOKING", "gone from BOOKINGS")
            #expect(try await Self.entries(harness, "cancel", show: "3").count == 1)
            let door = try await DoorTests.door(harness)
            #expect(try await door.send("ADMIT \(ticket)").final == "ERR BOOKING_CANCELLED")
        }
    }

    @Test("Refused: another's booking (as if unknown), bad ids, past the cut-off, after admission; nothing changes")
    func refusals() async throws {
        try await Harness.run("ccancel-no") { harness in
            let near = try await TicketTests.book(harness, "fred", seats: "A1")
            let far = try await TicketTests.book(harness, "gus", seats: "A2", show: "3")
            #expect(try await near.client.send("CANCEL \(far.booking)").final == "ERR UNKNOWN_BOOKING")
            #expect(try await near.client.send("CANCEL BK0000000000").final == "ERR UNKNOWN_BOOKING")
            #expect(try await near.client.send("CANCEL bk123").final.hasPrefix("ERR BAD_REQUEST"))
            #expect(try await near.client.send("CANCEL").final.hasPrefix("ERR BAD_REQUEST"))
            #expect(try await harness.kiosk().send("CANCEL \(far.booking)").final == "ERR LOGIN_REQUIRED")

            // Show 1 starts in 2 hours: the default cut-off, 2 hours before, has passed.
            let start = try #require(try await harness.services.theatre.shows([ShowID("1")!]).first?.start)
            #expect(
                try await near.client.send("CANCEL \(near.booking)").final
                    == "ERR CANCEL_CLOSED \(start.adding(seconds: -7200))")
            // The programme's cut-off for the show is what counts.
            _ = try await harness.redisCommand("HSET", harness.keys.show(ShowID("1")!), "cancel_cutoff_minutes", "60")
            #expect(try await near.client.send("CANCEL \(near.booking)").final.hasPrefix("OK CANCELLED"))

            try await harness.expectOK(try await DoorTests.door(harness), "ADMIT \(far.ticket)")
            #expect(try await far.client.send("CANCEL \(far.booking)").final == "ERR ALREADY_ADMITTED")
            #expect(try await Self.entries(harness, "cancel", show: "3").isEmpty)
            #expect(try await harness.seatStates(far.client, show: "3")["A2"] == "PERMANENTLY_UNAVAILABLE")
        }
    }

    @Test("CANCEL and ADMIT of one booking at once, many times: exactly one of the two succeeds each time")
    func cancelRacesAdmit() async throws {
        try await Harness.run("ccancel-race") { harness in
            var outcomes: [(cancel: String, admit: String)] = []
            for (index, seat) in ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3"].enumerated() {
                let (client, booking, ticket) = try await TicketTests.book(
                    harness, "racer\(index)", seats: seat, show: "3")
                let door = try await DoorTests.door(harness, index % 2 == 0 ? "door-1" : "door-2")
                async let cancel = client.send("CANCEL \(booking)")
                async let admit = door.send("ADMIT \(ticket)")
                outcomes.append((try await cancel.final, try await admit.final))
            }
            for outcome in outcomes {
                let cancelled = outcome.cancel.hasPrefix("OK CANCELLED")
                let admitted = outcome.admit.hasPrefix("OK ADMITTED")
                #expect(cancelled != admitted, "\(outcome)")
                #expect(cancelled ? outcome.admit == "ERR BOOKING_CANCELLED" : outcome.cancel == "ERR ALREADY_ADMITTED")
            }
            let cancels = try await Self.entries(harness, "cancel", show: "3").count
            let admits = try await DoorTests.admitEntries(harness, show: "3").count
            #expect(cancels + admits == outcomes.count)
        }
    }
}
