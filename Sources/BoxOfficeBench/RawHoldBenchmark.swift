import BoxOfficeCore
import BoxOfficeStore
import Credentials
import Histogram
import Logging
import RedisClient
import Synchronization

/// The physical limit the daemon is measured against: the same hold script, called straight from Redis clients
/// (one connection each, one command in flight, like redis-benchmark without pipelining) at the same
/// concurrency, each hold followed by a release so that seats never run out, a new session after every
/// ``LoadPlan/pairsPerSession`` pairs as through the daemon. The bench uses it against a cluster, whose clients must
/// route by slot; against one Redis the load generator sends the same scripts (``LoadPlan/rawHolds``).
struct RawHoldBenchmark {
    /// The raw sessions' policy: an hour long, so that none expires during a run.
    static let policy = SessionPolicy(
        timeoutMilliseconds: 3_600_000, maxSeats: 64, paymentAttempts: 1, paymentGraceMilliseconds: 60_000)
    /// The kiosk the raw sessions name.
    static let kiosk = KioskID("raw-bench")!

    /// The customer of raw connection `index`: one each (a customer has one open session), who cannot log in.
    static func customer(_ index: Int) -> Username { Username("rawbench-\(index)")! }

    /// 1 to 3 adjacent seats of `seats`, chosen at random.
    static func randomGroup(of seats: [SeatID]) -> [SeatID] {
        let first = Int.random(in: 0..<(seats.count - 3))
        return Array(seats[first..<(first + Int.random(in: 1...3))])
    }

    let urls: [RedisURL]
    let keys: StoreKeys
    let show: ShowID
    let seats: [SeatID]
    let concurrency: Int

    /// Hold scripts executed (conflicts included), at what rate and latency.
    func run(for duration: Duration) async throws -> RawRate {
        let policy = Self.policy
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        let outcomes = try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for index in 0..<concurrency {
                group.addTask { [urls, keys, show, seats] in
                    let redis = RedisClient(configuration: .init(urls: urls), logger: BoxOfficeBench.quietLogger)
                    defer { redis.close() }
                    let store = BookingStore(redis: redis, keys: keys)
                    let user = Self.customer(index)
                    let now = try await TheatreStore(redis: redis, keys: keys).now()
                    _ = try await UserStore(redis: redis, keys: keys).create(user, passwordHash: "!", at: now)
                    var histogram = Histogram<UInt64>(
                        highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var holds = 0
                    while clock.now < deadline {
                        let (session, _) = try await store.start(
                            show: show, user: user, kiosk: Self.kiosk, policy: policy,
                            id: SessionID(RandomToken.hex(byteCount: 10))!)
                        for _ in 0..<LoadPlan.pairsPerSession where clock.now < deadline {
                            let group = Self.randomGroup(of: seats)
                            let before = clock.now
                            let held: Bool
                            do {
                                _ = try await store.hold(session, seats: group, policy: policy)
                                held = true
                            } catch StoreError.rejected(.seatsUnavailable) {
                                held = false  // a conflict is a hold executed all the same, as in the daemon's count
                            }
                            holds += 1
                            let (s, atto) = (clock.now - before).components
                            _ = histogram.record(UInt64(max(1, s * 1_000_000 + atto / 1_000_000_000_000)))
                            if held { _ = try await store.release(session, seats: group) }
                        }
                        _ = try? await store.end(session, believedHeld: [], as: .closed)
                    }
                    return (holds, histogram)
                }
            }
            var total = 0
            var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            for try await (holds, histogram) in group {
                total += holds
                merged.add(histogram)
            }
            return (total, merged)
        }
        let elapsed = clock.now - started
        let (seconds, attoseconds) = elapsed.components
        return RawRate(
            operations: outcomes.0, seconds: Double(seconds) + Double(attoseconds) / 1e18, latencies: outcomes.1)
    }
}
