import BoxOfficeClient
import BoxOfficeTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

@testable import BoxOfficeServer

@Suite("Connection limits: idle, slow and surplus connections never stop the kiosks", .timeLimit(.minutes(2)))
struct ConnectionLimitTests {
    @Test("A connection that sends nothing for the idle timeout is closed; one that keeps talking stays")
    func idleTimeout() async throws {
        // 5 s idle and a PING every 250 ms: a loaded machine may delay a PING by seconds, not by five.
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(5), maxConnections: 100)
        try await Harness.run("idle", limits: limits) { harness in
            let quiet = try await harness.kiosk()
            let chatty = try await harness.kiosk()
            for _ in 0..<24 {
                try await Task.sleep(for: .milliseconds(250))
                #expect(try await chatty.send("PING").final == "OK PONG")
            }
            #expect(await quiet.isClosedByServer())
        }
    }

    @Test("Over the connection limit: ERR UNAVAILABLE instead of the greeting; room again once one leaves")
    func connectionLimit() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 3)
        try await Harness.run("maxconn", limits: limits) { harness in
            var kiosks: [KioskClient] = []
            for _ in 0..<3 { kiosks.append(try await harness.kiosk()) }
            let surplus = try await KioskClient.connect(port: harness.port)
            #expect(surplus.greeting == "ERR UNAVAILABLE too many connections")
            #expect(await surplus.isClosedByServer())
            #expect(try await kiosks[0].send("QUIT").final == "OK BYE")
            try await Task.sleep(for: .milliseconds(200))
            let next = try await KioskClient.connect(port: harness.port)
            #expect(next.greeting == "HELLO boxoffice 1")
        }
    }

    @Test("1,000 idle connections and a slow-loris sender do not stop a customer from buying")
    func crowdAndSlowLoris() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(2), idleTimeout: .seconds(60), maxConnections: 2000)
        try await Harness.run("crowd", limits: limits) { harness in
            var idle: [any Channel] = []
            for _ in 0..<1000 {
                idle.append(
                    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .connect(host: "127.0.0.1", port: harness.port).get())
            }
            let loris = try await KioskClient.connect(port: harness.port)
            let trickle = Task {
                for byte in Array("KIOSK test-kiosk and-then-nothing-more-ever".utf8) {
                    try await loris.sendRaw([byte])
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let buyer = try await harness.customer("crowded")
            _ = try await harness.session(buyer)
            try await harness.expectOK(buyer, "HOLD B2 B3")
            #expect(try await buyer.send("PAY tok_visa").final.hasPrefix("OK BOOKED"))
            #expect(await loris.isClosedByServer(), "the slow sender never identified its kiosk in time")
            trickle.cancel()
            for channel in idle { try? await channel.close() }
        }
    }

    @Test("Unidentified connections: a new one sheds its own address's oldest, else the busiest address's; kiosks stay")
    func shedding() async throws {
        let limits = KioskServer.Limits(
            identifyTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 10, maxUnidentified: 6,
            maxUnidentifiedPerAddress: 3)
        try await Harness.run("shed", limits: limits) { harness in
            let kiosk = try await harness.customer("steady")
            let neighbour = try await KioskClient.connect(port: harness.port, from: "127.0.0.3")
            var flood: [KioskClient] = []
            for _ in 0..<3 { flood.append(try await KioskClient.connect(port: harness.port, from: "127.0.0.2")) }
            let fourth = try await KioskClient.connect(port: harness.port, from: "127.0.0.2")
            #expect(fourth.greeting == "HELLO boxoffice 1")
            #expect(await flood[0].isClosedByServer(), "the address's oldest unidentified connection made room")
            #expect(try await flood[1].send("PING").final == "OK PONG")
            #expect(try await neighbour.send("PING").final == "OK PONG", "another address is not touched")

            // 127.0.0.2 has 3, 127.0.0.3 has 1: two more from elsewhere reach 6 in all; the next sheds the oldest
            // connection of the busiest address, not the lone neighbour, older as it is.
            let others = [
                try await KioskClient.connect(port: harness.port, from: "127.0.0.4"),
                try await KioskClient.connect(port: harness.port, from: "127.0.0.5"),
            ]
            let seventh = try await KioskClient.connect(port: harness.port, from: "127.0.0.6")
            #expect(await flood[1].isClosedByServer(), "the busiest address's oldest connection made room")
            #expect(try await neighbour.send("PING").final == "OK PONG")
            #expect(try await seventh.send("PING").final == "OK PONG")
            for client in others { #expect(try await client.send("PING").final == "OK PONG") }

            // Identified kiosks never count as unidentified, and are never shed.
            try await harness.expectOK(flood[2], "KIOSK \(Harness.kioskID) \(Harness.kioskSecret)")
            var crowd: [KioskClient] = []
            for _ in 0..<20 { crowd.append(try await KioskClient.connect(port: harness.port, from: "127.0.0.7")) }
            #expect(try await flood[2].send("PING").final == "OK PONG")
            #expect(try await kiosk.send("START 1").final.hasPrefix("OK SESSION"))
            // flood[0], flood[1]; the crowd's 2nd sheds the oldest of six single connections (the neighbour), and
            // each later one the crowd's own oldest.
            let figures = try await kiosk.send("STATS").data
            #expect(figures.contains("STAT connections_shed 21"), "\(figures.prefix(5))")
            #expect(await neighbour.isClosedByServer())
            #expect(await crowd[0].isClosedByServer())
            #expect(try await crowd[19].send("PING").final == "OK PONG")
            #expect(try await others[0].send("PING").final == "OK PONG")
        }
    }

    @Test("Identifying when every kiosk place is taken: ERR UNAVAILABLE too many connections, and closed")
    func identifyWhenFull() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 2)
        try await Harness.run("idfull", limits: limits) { harness in
            let first = try await harness.kiosk()
            let waiting = try await KioskClient.connect(port: harness.port)
            _ = try await harness.kiosk()
            #expect(
                try await waiting.send("KIOSK \(Harness.kioskID) \(Harness.kioskSecret)").final
                    == "ERR UNAVAILABLE too many connections")
            #expect(await waiting.isClosedByServer())
            #expect(try await first.send("QUIT").final == "OK BYE")
            try await Task.sleep(for: .milliseconds(200))
            let next = try await KioskClient.connect(port: harness.port)
            try await harness.expectOK(next, "KIOSK \(Harness.kioskID) \(Harness.kioskSecret)")
        }
    }

    @Test("One kiosk's connections beyond its max_connections close its own oldest; other kiosks keep theirs")
    func perKioskLimit() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 5)
        try await Harness.run("perkiosk", limits: limits, maxConnectionsPerKiosk: 2) { harness in
            let other = [try await harness.kiosk(Harness.otherKioskID), try await harness.kiosk(Harness.otherKioskID)]
            var stolen: [KioskClient] = []
            for _ in 0..<10 { stolen.append(try await harness.kiosk()) }
            for client in stolen.prefix(8) { #expect(await client.isClosedByServer()) }
            for client in stolen.suffix(2) + other { #expect(try await client.send("PING").final == "OK PONG") }
            let newcomer = try await KioskClient.connect(port: harness.port)
            #expect(newcomer.greeting == "HELLO boxoffice 1", "the stolen kiosk holds 2 of the 5 places, not all")
        }
    }

    @Test("Out of descriptors: the reserve is spent so the waiting connection can be accepted and turned away")
    func descriptorReserve() async throws {
        let registry = ConnectionRegistry(limits: .standard)
        let reserve = DescriptorReserve(registry: registry, logger: Logger(label: "test.reserve"))
        let server = EmbeddedChannel(handler: reserve)
        #expect(reserve.descriptor >= 0)
        if case .full = registry.admit(EmbeddedChannel(), from: "127.0.0.1") {
            Issue.record("admitted nothing while descriptors were to spare")
        }

        server.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))
        #expect(reserve.descriptor == -1, "the reserve is spent")
        guard case .full = registry.admit(EmbeddedChannel(), from: "127.0.0.1") else {
            Issue.record("a connection accepted while out of descriptors must be turned away")
            return
        }
        server.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))  // spent already: no change
        (server.eventLoop as! EmbeddedEventLoop).advanceTime(by: DescriptorReserve.reopenDelay)
        #expect(reserve.descriptor >= 0, "taken again once a descriptor is free")
        if case .full = registry.admit(EmbeddedChannel(), from: "127.0.0.1") {
            Issue.record("connections are served again")
        }
        _ = try? server.finish()
    }
}
