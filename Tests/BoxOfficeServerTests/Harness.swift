import BoxOfficeClient
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import BoxOfficeTesting
import Credentials
import Logging
import NIOCore
import Prometheus
import RedisClient
import ServiceLifecycle
import Testing

/// A live daemon for one test: the real server on a free port, run by a service group as in `boxofficed`, over the
/// test Redis under a key prefix of the test's own, with a small theatre: screen `S` of 3 rows of 5 seats, shows `1` and `3` later today and show
/// `2` already started.
final class Harness: Sendable {
    static let kioskSecret = "test-kiosk-secret"
    static let kioskID = KioskID("test-kiosk")!
    /// A second kiosk of the theatre, with the same secret and policy.
    static let otherKioskID = KioskID("test-kiosk-2")!
    static let password = "correct-horse"
    /// Door kiosks of the theatre, with the same secret: two for every screen whose doors open 5 hours before a show
    /// (so shows 1 and 3, 2 and 4 hours away, admit), one for screen `X` only, and one with the standard entry window.
    static let doors: [KioskID: KioskRole] = [
        KioskID("door-1")!: .door(
            screens: nil, entry: EntryWindow(opensMinutesBeforeStart: 300, closesMinutesAfterEnd: 30)),
        KioskID("door-2")!: .door(
            screens: nil, entry: EntryWindow(opensMinutesBeforeStart: 300, closesMinutesAfterEnd: 30)),
        KioskID("door-x")!: .door(
            screens: ["X"], entry: EntryWindow(opensMinutesBeforeStart: 300, closesMinutesAfterEnd: 30)),
        KioskID("door-standard")!: .door(screens: ["S"], entry: .standard),
    ]

    let redis: RedisClient
    let keys: StoreKeys
    let services: BoxOfficeServices
    let server: KioskServer
    let policy: SessionPolicy
    /// The Prometheus registry the daemon's ``Statistics`` record into (no global metrics system is touched).
    let registry: PrometheusCollectorRegistry
    /// The theatre loaded for the test.
    let theatre: Theatre
    private let serviceGroup: ServiceGroup

    var port: Int { server.localAddress.port ?? 0 }

    private init(
        redis: RedisClient, keys: StoreKeys, services: BoxOfficeServices, server: KioskServer,
        policy: SessionPolicy, registry: PrometheusCollectorRegistry, theatre: Theatre, serviceGroup: ServiceGroup
    ) {
        self.redis = redis
        self.keys = keys
        self.services = services
        self.server = server
        self.policy = policy
        self.registry = registry
        self.theatre = theatre
        self.serviceGroup = serviceGroup
    }

    /// Begins a graceful shutdown of the server, as SIGTERM does in `boxofficed`; returns at once.
    func shutDownGracefully() async {
        await serviceGroup.triggerGracefulShutdown()
    }

    /// A password queue with room for the many customers some tests register through one kiosk at once.
    static var roomyPasswords: PasswordWorker { PasswordWorker(capacity: 64, placesPerKiosk: 64) }

    /// The standard test policy: 4 seats, 300 s timeout, 3 payment attempts, 60 s grace; the test kiosks serve many
    /// customers at once, so they may have many sessions open.
    static let standardPolicy = SessionPolicy(
        timeoutMilliseconds: 300_000, maxSeats: 4, paymentAttempts: 3, paymentGraceMilliseconds: 60_000,
        openSessionsPerKiosk: 10_000)

    /// Runs `body` against a fresh daemon and theatre; removes the test's keys afterwards.
    /// - Parameters:
    ///   - keyPrefix: the key prefix; by default one of the test's own (a private Redis may use `boxoffice`).
    ///   - paymentLatency: how long the simulated gateway takes to answer.
    static func run(
        _ label: String, policy: SessionPolicy = standardPolicy, loginLimits: LoginLimits = .standard,
        redisURL: RedisURL? = nil, redisURLs: [RedisURL]? = nil, durability: Durability? = nil,
        limits: KioskServer.Limits = .standard, keyPrefix: String? = nil,
        paymentLatency: Duration = .zero, passwordChecksPerMinute: Int = 10_000, maxConnectionsPerKiosk: Int = 10_000,
        passwords: PasswordWorker = Harness.roomyPasswords, _ body: (Harness) async throws -> Void
    ) async throws {
        let urls = try #require(
            redisURLs ?? redisURL.map { [$0] } ?? TestRedis.urls,
            "run the tests with `make test` (BOXOFFICE_TEST_REDIS_URL)")
        let redis = RedisClient(
            configuration: .init(
                urls: urls, connectTimeout: .milliseconds(500),
                commandTimeout: .milliseconds(1500)))
        let prefix = keyPrefix ?? TestRedis.uniquePrefix(label)
        let keys = try #require(StoreKeys(prefix: prefix))
        let profiles = Dictionary(
            uniqueKeysWithValues: [kioskID, otherKioskID].map { id in
                (
                    id,
                    KioskProfile(
                        id: id, secretDigest: SecretDigest(of: kioskSecret), policy: policy,
                        passwordChecksPerMinute: passwordChecksPerMinute, maxConnections: maxConnectionsPerKiosk)
                )
            }
                + doors.map { id, role in
                    (
                        id,
                        KioskProfile(
                            id: id, secretDigest: SecretDigest(of: kioskSecret), policy: policy,
                            maxConnections: maxConnectionsPerKiosk, role: role)
                    )
                })
        let registry = PrometheusCollectorRegistry()
        let services = BoxOfficeServices(
            redis: redis, keys: keys, profiles: profiles, loginLimits: loginLimits, passwords: passwords,
            paymentLatency: paymentLatency,
            statistics: Statistics(metrics: MetricsEndpoint.factory(registry: registry)), durability: durability)
        var logger = Logger(label: "test.\(label)")
        logger.logLevel = .critical
        let theatre = testTheatre(now: try await services.theatre.now())
        #expect(try await services.theatre.load(theatre).shows.allSatisfy { $0.change == .added })
        let server = try await KioskServer.bind(
            host: "127.0.0.1", port: 0, services: services, logger: logger, limits: limits)
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: server)], logger: logger))
        let harness = Harness(
            redis: redis, keys: keys, services: services, server: server, policy: policy, registry: registry,
            theatre: theatre, serviceGroup: serviceGroup)
        defer { redis.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serviceGroup.run() }
            defer { group.cancelAll() }
            do {
                try await body(harness)
            } catch {
                await TestRedis.deleteKeys(prefix: prefix, using: redis)
                throw error
            }
            await TestRedis.deleteKeys(prefix: prefix, using: redis)
        }
    }

    /// The test shows' prices: 10 EUR a seat, 15 premium.
    static let testPrices = PriceList(
        currency: "EUR", minorUnits: [.standard: 1000, .premium: 1500, .wheelchair: 1000])!

    static func testTheatre(now: Timestamp) -> Theatre {
        let screen = Screen(id: "S", name: "Test Screen", seatsPerRow: [5, 5, 5])
        let movie = Movie(id: "m", title: "Test Movie: The Sequel", runtimeMinutes: 90)
        func show(_ id: String, in seconds: Int) -> Show {
            Show(
                id: ShowID(id)!, screenID: "S", movieID: "m", title: movie.title, start: now.adding(seconds: seconds),
                durationMinutes: 90, prices: testPrices)
        }
        return Theatre(
            name: "Test Theatre", screens: [screen], movies: [movie],
            shows: [show("1", in: 7200), show("2", in: -600), show("3", in: 14400)])
    }

    // MARK: Kiosks

    /// A connection that has identified itself as the test kiosk (or as another of the theatre's kiosks).
    func kiosk(_ id: KioskID = kioskID) async throws -> KioskClient {
        let client = try await KioskClient.connect(port: port)
        try await expectOK(client, "KIOSK \(id) \(Self.kioskSecret)")
        return client
    }

    /// A kiosk with `user` registered and logged in.
    func customer(_ user: String) async throws -> KioskClient {
        let client = try await kiosk()
        try await expectOK(client, "REGISTER \(user) \(Self.password)")
        try await expectOK(client, "LOGIN \(user) \(Self.password)")
        return client
    }

    /// A customer with an open session on `show`; returns the session id.
    func session(_ client: KioskClient, show: String = "1") async throws -> String {
        let reply = try await expectOK(client, "START \(show)")
        let words = reply.final.split(separator: " ")
        try #require(words.count == 4, "START \(show) → \(reply.final)")
        return String(words[2])
    }

    /// Sends `line` and expects an OK reply.
    @discardableResult
    func expectOK(_ client: KioskClient, _ line: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> KioskClient.Reply
    {
        let reply = try await client.send(line)
        #expect(reply.isOK, "\(line) → \(reply.final)", sourceLocation: sourceLocation)
        return reply
    }

    /// The seat states a client sees for `show`, seat id to state.
    func seatStates(_ client: KioskClient, show: String? = nil) async throws -> [String: String] {
        let reply = try await client.send(show.map { "SEATS \($0)" } ?? "SEATS")
        #expect(reply.isOK, "SEATS → \(reply.final)")
        var states: [String: String] = [:]
        for line in reply.data {
            let parts = line.split(separator: " ")
            if parts.count == 4 { states[String(parts[1])] = String(parts[2]) }
        }
        return states
    }

    /// Runs one Redis command against the test's Redis.
    func redisCommand(_ name: String, _ arguments: String...) async throws -> RedisReply {
        try await redis.send(RedisCommand(name, arguments: arguments))
    }
}
