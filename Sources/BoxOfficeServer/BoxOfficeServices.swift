import BoxOfficeCore
import BoxOfficeStore
import Payments
import RedisClient

/// Everything a kiosk connection works with: the stores over one Redis client, the payment gateway, the
/// password worker, and the theatre's settings. Shared by every connection; holds no booking state.
public struct BoxOfficeServices: Sendable {
    /// Booking sessions and seats.
    public let bookings: BookingStore
    /// The programme.
    public let theatre: TheatreStore
    /// Accounts and login counters.
    public let users: UserStore
    /// The payment gateway, every call of it time-limited.
    public let gateway: any PaymentGateway
    /// The password hasher, with its bounded queue.
    public let passwords: PasswordWorker
    /// The kiosks allowed to connect.
    public let profiles: [KioskID: KioskProfile]
    /// Failed-login limits.
    public let loginLimits: LoginLimits
    /// The daemon's live figures, which every connection and payment records into.
    public let statistics: Statistics
    /// Live seat changes for the connections that WATCH a show.
    public let seatWatch: SeatWatch
    /// How many replicas must have a booking before its payment is captured and the kiosk told `OK BOOKED`; nil
    /// to capture as soon as the primary has it (a single Redis, or `--replica-acks 0`).
    public let durability: Durability?
    /// The SEATS lines of the shows read lately, rendered once per layout version.
    let seatLines = SeatLineCache()
    /// The free seats of the upcoming shows, counted again at most once a second.
    let freeSeats = FreeSeatsCache()

    /// Wires the stores and the simulated gateway (answering after `paymentLatency`) over `redis` under `keys`.
    public init(
        redis: RedisClient, keys: StoreKeys, profiles: [KioskID: KioskProfile],
        loginLimits: LoginLimits = .standard, passwords: PasswordWorker = PasswordWorker(),
        paymentLatency: Duration = .zero, statistics: Statistics = Statistics(), durability: Durability? = nil
    ) {
        self.bookings = BookingStore(redis: redis, keys: keys)
        self.theatre = TheatreStore(redis: redis, keys: keys)
        self.users = UserStore(redis: redis, keys: keys)
        self.gateway = TimeLimitedGateway(
            SimulatedGateway(redis: redis, keyPrefix: keys.prefix, latency: paymentLatency))
        self.passwords = passwords
        self.profiles = profiles
        self.loginLimits = loginLimits
        self.statistics = statistics
        self.durability = durability
        self.seatWatch = SeatWatch(bookings: bookings, keys: keys, redis: redis)
    }
}
