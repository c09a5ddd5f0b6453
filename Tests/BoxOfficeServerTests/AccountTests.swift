import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
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

    /// Limits for tests: 3 free attempts per name at a kiosk, then 30 s doubling to 2 minutes (long enough that no
    /// password check, however slow on a loaded machine, outlasts it); 5 free failures per kiosk; 2 registrations
    /// per kiosk. Tests that need a wait to be over clear `not_before` rather than sleep.
    static let quickLimits = LoginLimits(
        freeAttemptsPerUser: 3, freeAttemptsPerKiosk: 5, firstWaitMilliseconds: 30_000,
        longestUserWaitMilliseconds: 120_000, longestKioskWaitMilliseconds: 120_000, userMemoryMilliseconds: 600_000,
        registrationsPerKiosk: 2, windowMilliseconds: 600_000)

    /// Ends the wait of the attempts stored under `key`, as the clock would.
    private func endWait(_ harness: Harness, _ key: String) async throws {
        _ = try await harness.redisCommand("HSET", key, "not_before", "0")
    }

    @Test("Failures for a name before it even exists: waits that grow, at that kiosk only; no 15-minute lockout")
    func noLockoutButton() async throws {
        var limits = Self.quickLimits
        limits.freeAttemptsPerKiosk = 100
        try await Harness.run("lockout", loginLimits: limits, passwordChecksPerMinute: 1000) { harness in
            let stranger = try await harness.kiosk()
            for _ in 0..<3 {
                #expect(try await stranger.send("LOGIN erin wrongpass1").final == "ERR AUTH_FAILED")
            }
            let limited = try await stranger.send("LOGIN erin wrongpass1").final
            let seconds = limited.hasPrefix("ERR RATE_LIMITED ") ? Int(limited.dropFirst(17)) : nil
            #expect(seconds.map { (1...30).contains($0) } == true, "30 s from the third admission: \(limited)")
            let key = harness.keys.loginAttempts(user: Username("erin"), kiosk: Harness.kioskID)
            #expect(try await harness.redisCommand("HGET", key, "wait").string == "30000")

            // erin registers and logs in at another kiosk at once: failures elsewhere do not count there.
            let own = try await harness.kiosk(Harness.otherKioskID)
            try await harness.expectOK(own, "REGISTER erin \(Harness.password)")
            #expect(try await own.send("LOGIN erin \(Harness.password)").final == "OK LOGGED_IN erin")

            // At the stranger's kiosk each further failure waits twice as long, up to the longest wait.
            var waits: [String] = []
            for _ in 0..<3 {
                try await endWait(harness, key)
                #expect(try await stranger.send("LOGIN erin wrongpass1").final == "ERR AUTH_FAILED")
                waits.append(try await harness.redisCommand("HGET", key, "wait").string ?? "")
            }
            #expect(waits == ["60000", "120000", "120000"])

            // Once the wait is over, erin's right password works there too, and clears the name's record.
            try await endWait(harness, key)
            #expect(try await stranger.send("LOGIN erin \(Harness.password)").final == "OK LOGGED_IN erin")
            #expect(try await harness.redisCommand("EXISTS", key).integer == 0)
        }
    }

    @Test("One kiosk trying many names waits after 5 failures; successes do not count; other kiosks unaffected")
    func kioskLimit() async throws {
        try await Harness.run("kiosklimit", loginLimits: Self.quickLimits, passwordChecksPerMinute: 1000) { harness in
            let client = try await harness.kiosk()
            try await harness.expectOK(client, "REGISTER hank \(Harness.password)")
            for round in 0..<3 {
                try await harness.expectOK(client, "LOGIN hank \(Harness.password)")
                try await harness.expectOK(client, "LOGOUT")
                #expect(try await client.send("LOGIN name\(round) wrong-password").final == "ERR AUTH_FAILED")
            }
            #expect(try await client.send("LOGIN ivan wrong-password").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN jane wrong-password").final == "ERR AUTH_FAILED")
            #expect(try await client.send("LOGIN kate wrong-password").final.hasPrefix("ERR RATE_LIMITED "))
            #expect(try await client.send("LOGIN hank \(Harness.password)").final.hasPrefix("ERR RATE_LIMITED "))
            let other = try await harness.kiosk(Harness.otherKioskID)
            #expect(try await other.send("LOGIN hank \(Harness.password)").final == "OK LOGGED_IN hank")
        }
    }

    @Test("40 wrong logins with 40 names at once at one kiosk: each counts before its check; 5 are checked")
    func concurrentWrongLogins() async throws {
        try await Harness.run("loginstorm", loginLimits: Self.quickLimits, passwordChecksPerMinute: 1000) { harness in
            var clients: [KioskClient] = []
            for _ in 0..<40 { clients.append(try await harness.kiosk()) }
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask { try await client.send("LOGIN guess\(index) wrong-password").final }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let limited = answers.filter { $0.hasPrefix("ERR RATE_LIMITED") }.count
            let failed = answers.filter { $0 == "ERR AUTH_FAILED" }.count
            let busy = answers.filter { $0 == "ERR UNAVAILABLE busy" }.count
            #expect(
                limited == 35 && failed + busy == 5 && failed >= 1, "admitted 5, checked as places allow: \(answers)")
            let kiosk = harness.keys.loginAttempts(kiosk: Harness.kioskID)
            #expect(try await harness.redisCommand("HGET", kiosk, "attempts").string == "5", "only the admitted count")
        }
    }

    @Test("40 wrong logins at once for one name at a fresh kiosk: 3 checked, 37 refused without a password check")
    func concurrentGuessesAtOneName() async throws {
        try await Harness.run("namestorm", loginLimits: Self.quickLimits, passwordChecksPerMinute: 1000) { harness in
            var clients: [KioskClient] = []
            for _ in 0..<40 { clients.append(try await harness.kiosk()) }
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for client in clients { group.addTask { try await client.send("LOGIN mona wrong-password").final } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let failed = answers.filter { $0 == "ERR AUTH_FAILED" }.count
            #expect(failed == 3, "\(answers)")
        }
    }

    @Test("The password queue is bounded: beyond its places, REGISTER gets ERR UNAVAILABLE busy at once")
    func passwordQueue() async throws {
        var limits = Self.quickLimits
        limits.registrationsPerKiosk = 100
        try await Harness.run(
            "pwqueue", loginLimits: limits, passwordChecksPerMinute: 1000, passwords: PasswordWorker(capacity: 2)
        ) { harness in
            var clients: [KioskClient] = []
            for _ in 0..<12 { clients.append(try await harness.kiosk()) }
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask { try await client.send("REGISTER queued\(index) \(Harness.password)").final }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let busy = answers.filter { $0 == "ERR UNAVAILABLE busy" }.count
            let registered = answers.filter { $0.hasPrefix("OK REGISTERED") }.count
            #expect(busy > 0 && registered > 0 && busy + registered == 12, "\(answers)")
        }
    }

    @Test("One kiosk's storm of registrations takes at most its share of the password queue; another kiosk gets in")
    func passwordQueueShares() async throws {
        var limits = Self.quickLimits
        limits.registrationsPerKiosk = 100
        try await Harness.run(
            "pwshare", loginLimits: limits, passwordChecksPerMinute: 1000,
            passwords: PasswordWorker(capacity: 4, placesPerKiosk: 2)
        ) { harness in
            var storm: [KioskClient] = []
            for _ in 0..<10 { storm.append(try await harness.kiosk()) }
            let others = [try await harness.kiosk(Harness.otherKioskID), try await harness.kiosk(Harness.otherKioskID)]
            let answers = try await withThrowingTaskGroup(of: (Bool, String).self) { group in
                for (index, client) in storm.enumerated() {
                    group.addTask { (false, try await client.send("REGISTER storm\(index) \(Harness.password)").final) }
                }
                for (index, client) in others.enumerated() {
                    group.addTask { (true, try await client.send("REGISTER other\(index) \(Harness.password)").final) }
                }
                return try await group.reduce(into: [(Bool, String)]()) { $0.append($1) }
            }
            let fromOthers = answers.filter(\.0).map(\.1)
            #expect(fromOthers.allSatisfy { $0.hasPrefix("OK REGISTERED") }, "\(fromOthers)")
            let storming = answers.filter { !$0.0 }.map(\.1)
            #expect(storming.contains("ERR UNAVAILABLE busy"), "\(storming)")
        }
    }

    @Test("REGISTER counts before it says whether a name exists; password checks per kiosk bound LOGIN loops")
    func registrationAndLoopLimits() async throws {
        try await Harness.run("reglimit", loginLimits: Self.quickLimits, passwordChecksPerMinute: 6) { harness in
            let client = try await harness.kiosk()
            try await harness.expectOK(client, "REGISTER nina \(Harness.password)")
            #expect(try await client.send("REGISTER nina \(Harness.password)").final == "ERR USER_EXISTS")
            #expect(try await client.send("REGISTER olga \(Harness.password)").final.hasPrefix("ERR RATE_LIMITED"))
            #expect(try await client.send("REGISTER nina \(Harness.password)").final.hasPrefix("ERR RATE_LIMITED"))

            // Two password checks so far; four successful LOGIN/LOGOUT rounds reach the kiosk's six a minute.
            for _ in 0..<4 {
                try await harness.expectOK(client, "LOGIN nina \(Harness.password)")
                try await harness.expectOK(client, "LOGOUT")
            }
            let refused = try await client.send("LOGIN nina \(Harness.password)").final
            #expect(refused.hasPrefix("ERR RATE_LIMITED "), "\(refused)")
            let seconds = Int(refused.split(separator: " ").last ?? "") ?? 0
            #expect((1...60).contains(seconds), "the wait is what is left of the minute: \(refused)")
        }
    }
}
