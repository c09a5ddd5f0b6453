import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeTesting
import Foundation
import NIOCore
import RedisClient
import Testing

@Suite("Graceful shutdown: requests in hand finish, kiosks hear EVENT SHUTDOWN", .timeLimit(.minutes(2)))
struct ShutdownTests {
    /// Waits until Redis says the session is PAYING: the payment is then in flight at the gateway. Up to 10 s: a
    /// daemon of its own may wait that long for the two cores while every suite runs.
    static func waitUntilPaying(_ key: String, using redis: RedisClient) async throws {
        for _ in 0..<1000 {
            if try await redis.send(RedisCommand("HGET", key, "state")) == .bulk("PAYING") { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the payment never started")
    }

    @Test("A PAY in flight when the shutdown begins is answered OK BOOKED; then EVENT SHUTDOWN, then EOF")
    func payInFlight() async throws {
        try await Harness.run("shutdown", paymentLatency: .milliseconds(800)) { harness in
            let buyer = try await harness.customer("sd_buyer")
            let session = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A1 A2")
            let idleCustomer = try await harness.customer("sd_idle")
            let stranger = try await KioskClient.connect(port: harness.port)  // never identified

            try await buyer.sendRaw(Array("PAY tok_visa\n".utf8))
            try await Self.waitUntilPaying(
                harness.keys.session(ShowID("1")!, SessionID(session)!), using: harness.redis)
            let clock = ContinuousClock()
            let start = clock.now
            await harness.shutDownGracefully()

            // Idle connections hear it at once, whatever their phase, and are closed.
            for idle in [idleCustomer, stranger] {
                #expect(try await idle.nextEvent(within: .seconds(3)) == "EVENT SHUTDOWN")
                #expect(try await idle.nextLine() == nil, "closed after the event")
            }
            // The payment in flight completes and is answered before the event.
            let paid = try await buyer.readReply()
            #expect(paid.final.hasPrefix("OK BOOKED "), "\(paid.final)")
            #expect(buyer.events.isEmpty)
            #expect(try await buyer.nextLine() == "EVENT SHUTDOWN")
            #expect(try await buyer.nextLine() == nil)
            #expect(clock.now - start < .seconds(10))

            let booking = try #require(paid.final.split(separator: " ").dropFirst(2).first)
            #expect(
                try await harness.redisCommand("HGET", harness.keys.sold(ShowID("1")!), "A1") == .bulk(String(booking)))
            #expect(
                try await harness.redisCommand("HGET", harness.keys.sold(ShowID("1")!), "A2") == .bulk(String(booking)))

            // The listener is closed: nobody new gets a greeting.
            let late = try? await KioskClient.connect(port: harness.port)
            #expect(late == nil || late?.greeting.isEmpty == true, "a new connection was served after shutdown")
        }
    }

    @Test("A connection that sent a request after the event gets nothing more: the server has closed it")
    func nothingAfterTheEvent() async throws {
        try await Harness.run("shutdown2") { harness in
            let kiosk = try await harness.kiosk()
            await harness.shutDownGracefully()
            #expect(try await kiosk.nextEvent(within: .seconds(3)) == "EVENT SHUTDOWN")
            try? await kiosk.sendRaw(Array("PING\n".utf8))
            #expect(await kiosk.isClosedByServer())
        }
    }
}
