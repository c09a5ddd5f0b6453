import BoxOfficeClient
import BoxOfficeServer
import BoxOfficeTesting
import NIOCore
import NIOPosix
import Testing

@Suite("Connection limits: idle, slow and surplus connections never stop the kiosks", .timeLimit(.minutes(2)))
struct ConnectionLimitTests {
    @Test("A connection that sends nothing for the idle timeout is closed; one that keeps talking stays")
    func idleTimeout() async throws {
        let limits = KioskServer.Limits(identifyTimeout: .seconds(30), idleTimeout: .seconds(2), maxConnections: 100)
        try await Harness.run("idle", limits: limits) { harness in
            let quiet = try await harness.kiosk()
            let chatty = try await harness.kiosk()
            for _ in 0..<10 {
                try await Task.sleep(for: .milliseconds(300))
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
}
