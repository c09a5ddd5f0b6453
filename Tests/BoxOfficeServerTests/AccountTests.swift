import BoxOfficeStore
import BoxOfficeTesting
import RedisClient
import Testing

@Suite("Accounts: registration, login, rate limits", .timeLimit(.minutes(2)))
struct AccountTests {
    @Test("Registration validates names and passwords and stores only a slow salted hash")
    func registration() async throws {
        try await Harness.run("register") { harness in
            let client = try await harness.kiosk()
            let refusals: [(String, String)] = [
                ("REGISTER ab \(Harness.password)", "ERR INVALID_USERNAME"),
                ("REGISTER Alice \(Harness.password)", "ERR INVALID_USERNAME"),
                ("REGISTER \(String(repeating: "a", count: 33)) \(Harness.password)", "ERR INVALID_USERNAME"),
                ("REGISTER erin short", "ERR WEAK_PASSWORD"),
                ("REGISTER erin \(String(repeating: "p", count: 129))", "ERR WEAK_PASSWORD"),
                ("REGISTER erin", "ERR BAD_REQUEST"),
            ]
            for (line, expected) in refusals {
                #expect(try await client.send(line).final.hasPrefix(expected), "\(line)")
            }
            #expect(try await client.send("REGISTER erin \(Harness.password)").final == "OK REGISTERED erin")
            #expect(try await client.send("REGISTER erin another-password").final == "ERR USER_EXISTS")

            let stored = try await harness.redisCommand("HGETALL", harness.keys.user(.init("erin")!))
            let fields = (stored.array ?? []).compactMap(\.string)
            let hash = try #require(fields.firstIndex(of: "password_hash").map { fields[$0 + 1] })
            #expect(hash.hasPrefix("$argon2id$"))
            #expect(!fields.contains { $0.contains(Harness.password) }, "the password is never stored in clear")
        }
    }

    @Test("Two kiosks registering one name at once: exactly one wins")
    func registrationRace() async throws {
        try await Harness.run("regrace") { harness in
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let client = try await harness.kiosk()
                        return try await client.send("REGISTER frank \(Harness.password)").final
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == "OK REGISTERED frank" }.count == 1)
            #expect(results.filter { $0 == "ERR USER_EXISTS" }.count == 3)
        }
    }

    @Test("A wrong password and an unknown user get the same answer")
    func loginFailures() async throws {
        try await Harness.run("login") { harness in
            let client = try await harness.kiosk()
            try await harness.expectOK(client, "REGISTER gina \(Harness.password)")
            #expect(try await client.send("LOGIN gina wrong-password").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN nobody \(Harness.password)").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN NO$NAME \(Harness.password)").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN gina \(Harness.password)").final == "OK LOGGED_IN gina")
            #expect(try await client.send("LOGOUT").final == "OK LOGGED_OUT")
            #expect(try await client.send("START 1").final == "ERR LOGIN_REQUIRED")
        }
    }

    @Test("Failed logins are limited per user name and per kiosk, registrations per kiosk")
    func rateLimits() async throws {
        let limits = LoginLimits(perUser: 3, perKiosk: 5, registrationsPerKiosk: 2, windowMilliseconds: 60_000)
        try await Harness.run("ratelimit", loginLimits: limits) { harness in
            let client = try await harness.kiosk()
            try await harness.expectOK(client, "REGISTER hank \(Harness.password)")
            try await harness.expectOK(client, "LOGIN hank \(Harness.password)")
            try await harness.expectOK(client, "LOGOUT")
            for _ in 0..<3 {
                #expect(try await client.send("LOGIN hank wrong-password").final == "ERR AUTH_FAILED")
            }
            #expect(
                try await client.send("LOGIN hank \(Harness.password)").final == "ERR RATE_LIMITED",
                "even the right password waits out the window")
            let ttl = try await harness.redisCommand("PTTL", harness.keys.loginFailures(user: .init("hank")!))
            #expect((1...60_000).contains(ttl.integer ?? 0), "the counter expires with its window")

            // Two more failures for other names reach the kiosk's limit of 5.
            #expect(try await client.send("LOGIN ivan wrong-password").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN jane wrong-password").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN kate wrong-password").final == "ERR RATE_LIMITED")

            // Registrations cost a slow hash each: two per kiosk in this window.
            #expect(try await client.send("REGISTER ivy \(Harness.password)").final == "OK REGISTERED ivy")
            #expect(try await client.send("REGISTER jack \(Harness.password)").final == "ERR RATE_LIMITED")
            #expect(try await client.send("REGISTER ivy \(Harness.password)").final == "ERR USER_EXISTS")
        }
    }
}
