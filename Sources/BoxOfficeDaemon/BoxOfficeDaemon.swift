import ArgumentParser
import BoxOfficeCore
import BoxOfficeServer
import BoxOfficeStore
import FoundationEssentials
import Logging
import Metrics
import Prometheus
import RedisClient
import ServiceLifecycle

/// `boxofficed`: the booking daemon. Wiring only: flags, profiles, logging, and the service group.
@main
struct BoxOfficeDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxofficed",
        abstract: "Serves the BoxOffice kiosk protocol, with Redis as the store.")

    @Option(help: "Where to listen for kiosks, HOST:PORT.")
    var listen = "127.0.0.1:7420"

    @Option(
        help: ArgumentHelp(
            "The Redis server, or seed nodes of a Redis Cluster: redis://[user[:password]@]host[:port][/db][,host:port...].",
            discussion: "A comma-separated list names several seeds; later ones may be just host:port."))
    var redis = "redis://127.0.0.1:6379/0"

    @Option(
        help: ArgumentHelp(
            "Read the Redis password from this file's first line instead of the URL.",
            discussion: "Without it, a systemd credential named redis-password is used when there is one."))
    var redisPasswordFile: String?

    @Option(help: "The folder of kiosk profiles, one TOML file per kiosk.")
    var profiles = "./kiosk-profiles"

    @Flag(help: "Load the demo theatre's programme when no show is on sale (a new Redis, or a week later).")
    var demo = false

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Close a connection that sends nothing for this many seconds.")
    var idleTimeout = 900

    @Option(help: "The most identified kiosk connections served at once.")
    var maxConnections = 4096

    @Option(help: "The most connections that have not identified their kiosk yet; a new one sheds the oldest.")
    var maxUnidentified = 256

    @Option(help: "The most unidentified connections from one address; a new one sheds that address's oldest.")
    var maxUnidentifiedPerAddress = 16

    @Option(
        help: ArgumentHelp(
            "Replicas that must have a booking before its payment is captured and the kiosk hears OK BOOKED.",
            discussion: "0 (the default) for a single Redis; 1 on a cluster with a replica per primary."))
    var replicaAcks = 0

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (off unless given).")
    var metrics: String?

    func validate() throws {
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen must be HOST:PORT") }
        guard let urls = RedisURL.list(redis) else {
            throw ValidationError("--redis must be redis://[user[:password]@]host[:port][/db][,host:port...]")
        }
        if redisPasswordFile != nil && urls.contains(where: { $0.password != nil }) {
            throw ValidationError("give the Redis password either in --redis or in --redis-password-file, not both")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second") }
        guard (0...16).contains(replicaAcks) else { throw ValidationError("--replica-acks must be from 0 to 16") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxUnidentified >= 1 else { throw ValidationError("--max-unidentified must be at least 1") }
        guard (1...maxUnidentified).contains(maxUnidentifiedPerAddress) else {
            throw ValidationError("--max-unidentified-per-address must be from 1 to --max-unidentified")
        }
        guard metrics.map({ ListenAddress($0) != nil }) ?? true else {
            throw ValidationError("--metrics must be HOST:PORT")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "boxofficed")
        let kiosks: [KioskID: KioskProfile]
        do {
            kiosks = try KioskProfile.loadAll(from: profiles)
        } catch {
            logger.critical("cannot load kiosk profiles: \(error)")
            throw ExitCode(78)  // EX_CONFIG
        }
        let address = ListenAddress(listen)!
        let redisURLs: [RedisURL]
        do {
            redisURLs = try RedisURL.list(redis)!.map { url in
                try Self.resolvedRedisURL(url, passwordFile: redisPasswordFile)
            }
        } catch {
            logger.critical("\(error)")
            throw ExitCode(78)  // EX_CONFIG
        }
        let redisClient = RedisClient(configuration: .init(urls: redisURLs), logger: Logger(label: "boxofficed.redis"))
        defer { redisClient.close() }
        // The payment simulator's answer delay, for fault tests (a real gateway brings its own latency).
        let latency = ProcessInfo.processInfo.environment["BOXOFFICE_PAYSIM_LATENCY_MS"].flatMap { Int($0) } ?? 0
        // With --metrics, the figures STATS reports also feed Prometheus, through swift-metrics.
        let registry = PrometheusCollectorRegistry()
        let statistics: Statistics
        if metrics != nil {
            let factory = MetricsEndpoint.factory(registry: registry)
            MetricsSystem.bootstrap(factory)
            statistics = Statistics(metrics: factory)
        } else {
            statistics = Statistics()
        }
        let services = BoxOfficeServices(
            redis: redisClient, keys: StoreKeys()!, profiles: kiosks, paymentLatency: .milliseconds(latency),
            statistics: statistics, durability: replicaAcks > 0 ? Durability(replicas: replicaAcks) : nil)

        if demo {
            do {
                let loaded = try await services.theatre.loadWhenNothingOnSale { now, first in
                    DemoTheatre.make(now: now, firstShowNumber: first)
                }
                logger.notice(loaded ? "demo programme loaded" : "shows are on sale; demo programme left alone")
            } catch {
                logger.critical("cannot create the demo theatre: \(error)")
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
        }

        var requested = KioskServer.Limits.standard
        requested.idleTimeout = .seconds(idleTimeout)
        requested.maxConnections = maxConnections
        requested.maxUnidentified = maxUnidentified
        requested.maxUnidentifiedPerAddress = maxUnidentifiedPerAddress
        guard let limits = Self.limitsFittingDescriptors(requested, logger: logger) else {
            throw ExitCode(78)  // EX_CONFIG
        }
        let server = try await KioskServer.bind(
            host: address.host, port: address.port, services: services, logger: logger, limits: limits)
        let reconciler = ReconcilerService(reconciler: Reconciler(services: services, logger: logger), logger: logger)
        let systemd = SystemdNotifierService(
            status: "serving kiosks on \(address.host):\(server.localAddress.port ?? address.port)",
            redisCheck: {
                let reply = try await redisClient.send(RedisCommand("TIME"))
                if let refusal = reply.errorMessage { throw RedisRefusal(message: refusal) }
            },
            isPermanentFailure: { error in
                (error as? RedisRefusal)?.isPermanent == true || (error as? RedisError)?.isSetupRejected == true
            },
            logger: logger)
        // Graceful shutdown runs through the services in reverse: systemd hears STOPPING=1 first, then the server
        // stops accepting and drains its connections, and the reconciler, last, can still settle what they left.
        var running: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: reconciler),
            .init(service: MemoryTrimService(statistics: services.statistics, logger: logger)),
        ]
        if let metrics = metrics.flatMap(ListenAddress.init) {
            let endpoint = try await MetricsEndpoint.bind(
                host: metrics.host, port: metrics.port, registry: registry, logger: logger)
            running.append(.init(service: endpoint))
        }
        running += [.init(service: server), .init(service: systemd)]
        var configuration = ServiceGroupConfiguration(
            services: running,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Below systemd's TimeoutStopSec (15 s): connections finish the request in hand, hear EVENT SHUTDOWN, and
        // close; whatever still runs then is cancelled (a PAY cut short is settled by a reconciler).
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: configuration)
        let isCluster = (try? await redisClient.isCluster()) ?? false
        if replicaAcks > 0 { await Self.checkReplicas(replicaAcks, of: redisClient, logger: logger) }
        logger.notice(
            "boxofficed ready",
            metadata: [
                "listen": "\(server.localAddress)",
                "redis": "\(redisClient.configuration.urls.map(\.description).joined(separator: ","))",
                "cluster": "\(isCluster)",
                "kiosks": "\(kiosks.count)",
            ])
        try await group.run()
    }
}

extension BoxOfficeDaemon {
    /// Says in the log whether every primary has the replicas `--replica-acks` waits for: without them no payment
    /// is captured until they come.
    static func checkReplicas(_ wanted: Int, of redis: RedisClient, logger: Logger) async {
        guard let replies = try? await redis.sendToEveryPrimary(RedisCommand("INFO", "replication")) else {
            logger.warning("cannot check the replicas --replica-acks waits for (INFO replication)")
            return
        }
        let counts = replies.map { reply in
            reply.string?.split(whereSeparator: \.isNewline).first { $0.hasPrefix("connected_slaves:") }
                .flatMap { Int($0.dropFirst("connected_slaves:".count)) } ?? 0
        }
        if let fewest = counts.min(), fewest < wanted {
            logger.error(
                """
                --replica-acks \(wanted), but a primary has \(fewest) replica(s): its payments are captured only once \
                enough replicas are back
                """)
        } else {
            logger.notice("every primary has the \(wanted) replica(s) --replica-acks waits for")
        }
    }
}

/// Redis answered the readiness check with an error.
struct RedisRefusal: Error, CustomStringConvertible {
    let message: String
    var description: String { "Redis refused the readiness check: \(message)" }

    /// Whether waiting cannot help: Redis refuses who we are or what we may do (an ACL without `TIME`, say), as
    /// opposed to a passing state such as `LOADING` while it reads its data at start-up.
    var isPermanent: Bool { ["NOAUTH", "WRONGPASS", "NOPERM"].contains { message.hasPrefix($0) } }
}

/// `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:7420`).
struct ListenAddress {
    let host: String
    let port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        self.host = String(host)
        self.port = port
    }
}
