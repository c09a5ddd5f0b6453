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

    @Test(
        "A replica that does not answer: no card is touched before PAY is recorded on it, none captured before the booking is"
    )
    func replicaDown() async throws {
        let cluster = try await RedisClusterProcess()
        defer { cluster.stop() }
        let durability = Durability(replicas: 1, timeout: .milliseconds(300))
        try await Harness.run(
            "undurable", redisURLs: cluster.urls, durability: durability, paymentLatency: .milliseconds(1500)
        ) { harness in
            let buyer = try await harness.customer("patient")
            let session = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD B1")
            let slot = ClusterSlot(key: harness.keys.show(ShowID("1")!))
            let primary = try #require(try await cluster.owner(of: slot, asSeenBy: cluster.livePort))
            let replica = try #require(try await cluster.replica(of: primary))
            let key = "\(session)-1"

            // Cut off before PAY: the payment is not begun, the card not touched, the seat still held.
            cluster.signal(SIGSTOP, to: replica)
            #expect(try await buyer.send("PAY tok_visa 1000 EUR").final == "ERR PAYMENT_FAILED UNAVAILABLE 2")
            #expect(try await harness.services.gateway.lookup(idempotencyKey: key) == nil)
            #expect(try await harness.seatStates(buyer)["B1"] == "SELECTED")
            cluster.signal(SIGCONT, to: replica)

            // Cut off after the authorization: confirmed on the primary, not captured, the kiosk told UNAVAILABLE.
            try await buyer.sendRaw(Array("PAY tok_visa 1000 EUR\n".utf8))
            let second = "\(session)-2"
            while try await harness.services.gateway.lookup(idempotencyKey: second)?.state != .authorized {
                try await Task.sleep(for: .milliseconds(20))
            }
            cluster.signal(SIGSTOP, to: replica)
            let paid = try await buyer.readReply().final
            #expect(paid == "ERR UNAVAILABLE payment not settled yet; BOOKINGS shows the outcome", "\(paid)")
            #expect(try await harness.services.gateway.lookup(idempotencyKey: second)?.state == .authorized)
            let again = try await harness.kiosk()
            try await harness.expectOK(again, "LOGIN patient \(Harness.password)")
            #expect(try await again.send("RESUME \(session) 1").final == "ERR NO_SESSION BOOKED")
            let reconciler = Reconciler(services: harness.services, logger: quietLogger)
            #expect(try await reconciler.sweep() == Reconciler.Report(pending: 1), "still not on a replica")
            #expect(try await harness.services.gateway.lookup(idempotencyKey: second)?.state == .authorized)

            cluster.signal(SIGCONT, to: replica)
            var report = Reconciler.Report()
            for _ in 0..<50 where report.captured == 0 {
                report = try await reconciler.sweep()
                if report.captured == 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(report.captured == 1)
            #expect(try await harness.services.gateway.lookup(idempotencyKey: second)?.state == .captured)
            let bookings = try await again.send("BOOKINGS").bookingLines
            #expect(bookings.data.count == 1 && bookings.data[0].hasSuffix(" B1"), "\(bookings)")
        }
    }

    /// The primary is cut off from its replica after authorizing (its replication link killed, the replica stopped),
    /// and dies after confirming: with `--replica-acks 1`
    /// the booking is never captured and its authorization is voided on the replica that takes over; with 0, the
    /// card is captured for a booking the failover lost. The ledger's key is kept off the doomed primary.
    @Test("A confirmed booking the replica never got, then a failover: voided with --replica-acks 1, not with 0")
    func bookingLostInFailover() async throws {
        for acks in [1, 0] {
            let cluster = try await RedisClusterProcess()
            defer { cluster.stop() }
            let durability = acks > 0 ? Durability(replicas: acks, timeout: .milliseconds(300)) : nil
            var policy = Harness.standardPolicy
            policy.paymentGraceMilliseconds = 4000
            try await Harness.run(
                "lost\(acks)", policy: policy, redisURLs: cluster.urls, durability: durability,
                paymentLatency: .milliseconds(1500)
            ) { harness in
                let buyer = try await harness.customer("unlucky")
                let primary = try await cluster.owner(
                    of: ClusterSlot(key: harness.keys.show(ShowID("1")!)), asSeenBy: cluster.livePort)
                var session = try await harness.session(buyer)
                var ledger = "\(harness.keys.prefix):paysim:auth:\(session)-1"
                while try await cluster.owner(of: ClusterSlot(key: ledger), asSeenBy: cluster.livePort) == primary {
                    try await harness.expectOK(buyer, "CLOSE")
                    session = try await harness.session(buyer)
                    ledger = "\(harness.keys.prefix):paysim:auth:\(session)-1"
                }
                let doomed = try #require(primary)
                let replica = try #require(try await cluster.replica(of: doomed))
                try await harness.expectOK(buyer, "HOLD C3")
                try await buyer.sendRaw(Array("PAY tok_visa\n".utf8))
                // Authorized (the simulator records it, then answers 1.5 s later): cut the replica off now, so that
                // nothing written after this reaches it (stopped, it cannot come back for the stream either).
                while try await harness.redisCommand("HGET", ledger, "state").string != "AUTHORIZED" {
                    try await Task.sleep(for: .milliseconds(20))
                }
                cluster.signal(SIGSTOP, to: replica)
                _ = try await cluster.send(RedisCommand("CLIENT", "KILL", "TYPE", "replica"), to: doomed)
                let paid = try await buyer.readReply().final
                if acks > 0 {
                    #expect(paid == "ERR UNAVAILABLE payment not settled yet; BOOKINGS shows the outcome", "\(paid)")
                } else {
                    #expect(paid.hasPrefix("OK BOOKED "), "\(paid)")
                }
                cluster.kill(doomed)
                cluster.signal(SIGCONT, to: replica)
                _ = try await cluster.send(RedisCommand("CLUSTER", "FAILOVER", "TAKEOVER"), to: replica)
                try await Task.sleep(for: .milliseconds(500))
                let reconciler = Reconciler(services: harness.services, logger: quietLogger)
                var state: String?
                for _ in 0..<80 where state != "VOIDED" && state != "CAPTURED" {
                    _ = try? await reconciler.sweep()
                    state = try? await harness.redisCommand("HGET", ledger, "state").string
                    if state != "VOIDED" { try await Task.sleep(for: .milliseconds(250)) }
                }
                let booking = try await harness.redisCommand("HLEN", harness.keys.sold(ShowID("1")!)).integer ?? -1
                if acks > 0 {
                    #expect(state == "VOIDED", "never captured, and voided on the new primary")
                    #expect(booking == 0, "the booking was lost with the primary, and nobody was told it was made")
                } else {
                    #expect(state == "CAPTURED" && booking == 0, "without waiting: charged for a lost booking")
                }
            }
        }
    }
}
