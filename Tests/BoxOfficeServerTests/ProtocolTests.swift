import BoxOfficeClient
import BoxOfficeServer
import BoxOfficeTesting
import NIOCore
import Testing

@Suite("The wire: greeting, framing, order of commands, bad input", .timeLimit(.minutes(2)))
struct ProtocolTests {
    @Test("Greets, answers PING, says goodbye to QUIT and closes")
    func greetingPingQuit() async throws {
        try await Harness.run("greeting") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            #expect(client.greeting == "HELLO boxoffice 1")
            #expect(try await client.send("PING").final == "OK PONG")
            #expect(try await client.send("QUIT").final == "OK BYE")
            #expect(await client.isClosedByServer())
        }
    }

    @Test("Commands before KIOSK are refused, booking commands before LOGIN too")
    func orderOfCommands() async throws {
        try await Harness.run("order") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            for line in ["SHOWS", "LOGIN bob password1", "REGISTER bob password1", "START 1", "HOLD A1", "BOOKINGS"] {
                #expect(try await client.send(line).final == "ERR KIOSK_REQUIRED", "\(line)")
            }
            try await harness.expectOK(client, "KIOSK \(Harness.kioskID) \(Harness.kioskSecret)")
            for line in ["START 1", "SEATS", "HOLD A1", "RELEASE A1", "PAY tok_visa", "CLOSE", "BOOKINGS", "LOGOUT"] {
                #expect(try await client.send(line).final == "ERR LOGIN_REQUIRED", "\(line)")
            }
            #expect(
                try await client.send("KIOSK \(Harness.kioskID) \(Harness.kioskSecret)").final
                    == "ERR ALREADY_AUTHENTICATED")
            try await harness.expectOK(client, "REGISTER carol \(Harness.password)")
            try await harness.expectOK(client, "LOGIN carol \(Harness.password)")
            for line in ["SEATS", "HOLD A1", "RELEASE A1", "PAY tok_visa", "CLOSE"] {
                #expect(try await client.send(line).final == "ERR NO_SESSION", "\(line)")
            }
            #expect(
                try await client.send("LOGIN carol \(Harness.password)").final.hasPrefix("ERR ALREADY_AUTHENTICATED"))
        }
    }

    @Test("Bad requests get a clear code, change nothing and keep the connection open")
    func badRequests() async throws {
        try await Harness.run("bad") { harness in
            let client = try await harness.customer("dave")
            _ = try await harness.session(client)
            let cases: [(String, String)] = [
                ("", "ERR BAD_REQUEST"),
                ("FROB", "ERR UNKNOWN_COMMAND FROB: HELP lists the commands allowed now"),
                ("FROB\u{E9}", "ERR UNKNOWN_COMMAND HELP lists the commands allowed now"),
                ("PING now", "ERR BAD_REQUEST"),
                ("HOLD", "ERR BAD_REQUEST"),
                ("HOLD a1", "ERR BAD_REQUEST seat ids are upper case: A1"),
                ("BEST 5", "ERR SEAT_LIMIT 4"),
                ("BEST 100", "ERR SEAT_LIMIT 4"),
                ("BEST 10000", "ERR BAD_REQUEST count is a number from 1 to the kiosk's seat limit"),
                ("HOLD A01", "ERR BAD_REQUEST"),
                ("HOLD A1 A1", "ERR BAD_REQUEST"),
                ("HOLD  A1", "ERR BAD_REQUEST"),
                ("HOLD A1 ", "ERR BAD_REQUEST"),
                ("HOLD Z9", "ERR UNKNOWN_SEAT Z9"),
                ("START", "ERR BAD_REQUEST"),
                ("START sh$w", "ERR BAD_REQUEST"),
                ("SEATS 1 2", "ERR BAD_REQUEST"),
                ("PAY", "ERR BAD_REQUEST"),
                ("PAY tok-visa", "ERR BAD_REQUEST"),
                ("PAY " + String(repeating: "t", count: 300), "ERR BAD_REQUEST"),
                ("HOLD " + (1...65).map { "A\($0)" }.joined(separator: " "), "ERR BAD_REQUEST"),
                ("HOLD A1\tA2", "ERR BAD_REQUEST"),
            ]
            for (line, expected) in cases {
                let reply = try await client.send(line)
                #expect(reply.final.hasPrefix(expected), "\(line.prefix(40)) → \(reply.final)")
                #expect(!reply.final.contains("\r"))
            }
            try await client.sendRaw([0x48, 0x4F, 0x4C, 0x44, 0x20, 0xC3, 0x28, 0x0A])  // "HOLD " + invalid UTF-8
            #expect(try await client.readReply().final == "ERR BAD_REQUEST not UTF-8")
            let states = try await harness.seatStates(client)
            #expect(states.values.allSatisfy { $0 == "AVAILABLE" }, "a bad request must change nothing")
            #expect(try await client.send("ping").final == "OK PONG", "command names are case-insensitive")
        }
    }

    @Test("CRLF line endings are accepted, pipelined requests answered in order")
    func crlfAndPipelining() async throws {
        try await Harness.run("crlf") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            try await client.sendRaw(Array("PING\r\nPING\nFROB\r\n".utf8))
            #expect(try await client.readReply().final == "OK PONG")
            #expect(try await client.readReply().final == "OK PONG")
            #expect(try await client.readReply().final.hasPrefix("ERR UNKNOWN_COMMAND FROB"))
        }
    }

    @Test(
        "A line of 4096 bytes is read; a longer one gets LINE_TOO_LONG and the connection closes",
        arguments: [true, false])
    func lineLength(dripFed: Bool) async throws {
        try await Harness.run("linelength") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            let longest = "PING " + String(repeating: "x", count: 4091)
            #expect(try await client.send(longest).final == "ERR BAD_REQUEST usage: PING")
            let tooLong = Array(("PING " + String(repeating: "x", count: 4092) + "\n").utf8)
            if dripFed {
                for chunk in stride(from: 0, to: tooLong.count, by: 1000) {
                    try await client.sendRaw(Array(tooLong[chunk..<min(chunk + 1000, tooLong.count)]))
                }
            } else {
                try await client.sendRaw(tooLong)
            }
            #expect(try await client.readReply().final == "ERR LINE_TOO_LONG")
            #expect(await client.isClosedByServer())
        }
    }

    @Test("A line that never ends is cut off at the limit")
    func endlessLine() async throws {
        try await Harness.run("endless") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            try await client.sendRaw(Array(repeating: UInt8(ascii: "A"), count: 10_000))
            #expect(try await client.readReply().final == "ERR LINE_TOO_LONG")
            #expect(await client.isClosedByServer())
        }
    }

    @Test("Kiosk secrets: a wrong secret or unknown kiosk fails alike; the third failure closes the connection")
    func kioskAuthentication() async throws {
        try await Harness.run("kioskauth") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            #expect(try await client.send("KIOSK \(Harness.kioskID) wrong-secret").final == "ERR AUTH_FAILED")
            #expect(try await client.send("KIOSK nosuchkiosk \(Harness.kioskSecret)").final == "ERR AUTH_FAILED")
            #expect(try await client.send("KIOSK bad$id x").final == "ERR AUTH_FAILED 3 failed attempts, closing")
            #expect(await client.isClosedByServer())
        }
    }

    @Test("HELP names the commands allowed in each phase, and only those")
    func help() async throws {
        try await Harness.run("help") { harness in
            let client = try await KioskClient.connect(port: harness.port)
            #expect(try await client.send("HELP").final == "OK HELP PING HELP QUIT KIOSK")
            #expect(try await client.send("HELP me").final == "ERR BAD_REQUEST usage: HELP")
            try await harness.expectOK(client, "KIOSK \(Harness.kioskID) \(Harness.kioskSecret)")
            let browsing = "SHOWS LAYOUT PRICES SEATS WATCH UNWATCH STATS"
            #expect(try await client.send("HELP").final == "OK HELP PING HELP QUIT REGISTER LOGIN \(browsing)")
            try await harness.expectOK(client, "REGISTER erin \(Harness.password)")
            try await harness.expectOK(client, "LOGIN erin \(Harness.password)")
            #expect(
                try await client.send("HELP").final
                    == "OK HELP PING HELP QUIT LOGOUT \(browsing) START RESUME BOOKINGS CANCEL")
            _ = try await harness.session(client)
            #expect(
                try await client.send("HELP").final
                    == "OK HELP PING HELP QUIT LOGOUT \(browsing) BOOKINGS CANCEL HOLD BEST RELEASE QUOTE PAY CLOSE")
        }
    }

    @Test("A connection that does not identify its kiosk in time is closed; an identified one stays")
    func identifyTimeout() async throws {
        // 3 s: on a loaded machine running every suite at once, connecting and a PING can take over a second.
        let limits = KioskServer.Limits(identifyTimeout: .seconds(3), idleTimeout: .seconds(900), maxConnections: 100)
        try await Harness.run("identify", limits: limits) { harness in
            let identified = try await harness.kiosk()
            let silent = try await KioskClient.connect(port: harness.port)
            #expect(try await silent.send("PING").final == "OK PONG", "PING does not identify a kiosk")
            try await Task.sleep(for: .milliseconds(3500))
            #expect(await silent.isClosedByServer())
            #expect(try await identified.send("PING").final == "OK PONG")
        }
    }
}
