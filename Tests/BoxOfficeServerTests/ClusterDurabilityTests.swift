import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import BoxOfficeTesting
import Foundation
import Logging
import Payments
import RedisClient
import Testing

/// `--replica-acks` on a real cluster of three primaries and three replicas that each test starts itself: a booking
/// is captured, and the kiosk told `OK BOOKED`, only once a replica has it.
@Suite("Cluster durability: WAIT before capture", .serialized, .timeLimit(.minutes(3)))
struct ClusterDurabilityTests {
    private var quietLogger: Logger {
        var logger = Logger(label: "test.durability")
        logger.logLevel = .critical
        return logger
    }

    @Test("With --replica-acks 1: PAY books and captures, and the booking is on the slot's replica")
    func bookedOnTheReplica() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        try await Harness.run("durable", redisURLs: cluster.urls, durability: Durability(replicas: 1)) { harness in
            let buyer = try await harness.customer("careful")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD A1 A2")
            let paid = try await buyer.send("PAY tok_visa 2000 EUR").final
            #expect(paid.hasPrefix("OK BOOKED "), "\(paid)")
            let booking = try #require(BookingID(paid.split(separator: " ")[2]))
            let key = harness.keys.booking(ShowID("1")!, booking)
            let primary = try #require(try await cluster.owner(of: ClusterSlot(key: key), asSeenBy: cluster.ports[0]))
            let replica = try #require(try await cluster.replica(of: primary))
            #expect(try await cluster.replicaHas(key, on: replica))
            let state = try await harness.redisCommand("HGET", key, "payment_state")
            #expect(state.string == "CAPTURED")
        }
    }

    @Test("A replica that does not answer: nothing is captured, the kiosk hears UNAVAILABLE; when it is back, captured")
    func replicaDown() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let durability = Durability(replicas: 1, timeout: .milliseconds(300))
        try await Harness.run("undurable", redisURLs: cluster.urls, durability: durability) { harness in
            let buyer = try await harness.customer("patient")
            let session = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD B1")
            let slot = ClusterSlot(key: harness.keys.show(ShowID("1")!))
            let primary = try #require(try await cluster.owner(of: slot, asSeenBy: cluster.ports[0]))
            let replica = try #require(try await cluster.replica(of: primary))
            cluster.signal(SIGSTOP, to: replica)

            let paid = try await buyer.send("PAY tok_visa 1000 EUR").final
            #expect(paid == "ERR UNAVAILABLE payment not settled yet; BOOKINGS shows the outcome", "\(paid)")
            let key = "\(session)-1"
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .authorized)
            let again = try await harness.kiosk()
            try await harness.expectOK(again, "LOGIN patient \(Harness.password)")
            #expect(try await again.send("RESUME \(session) 1").final == "ERR NO_SESSION BOOKED")
            let reconciler = Reconciler(services: harness.services, logger: quietLogger)
            #expect(try await reconciler.sweep() == Reconciler.Report(pending: 1), "still not on a replica")
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .authorized)

            cluster.signal(SIGCONT, to: replica)
            var report = Reconciler.Report()
            for _ in 0..<50 where report.captured == 0 {
                report = try await reconciler.sweep()
                if report.captured == 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(report.captured == 1)
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key)?.state == .captured)
            let bookings = try await again.send("BOOKINGS")
            #expect(bookings.data.count == 1 && bookings.data[0].hasSuffix(" B1"), "\(bookings)")
        }
    }
}
