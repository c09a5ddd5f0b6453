import BoxOfficeCore
import BoxOfficeStore
import Histogram
import RedisClient

/// What one raw Redis comparison did: operations, over how long, and their latencies.
struct RawRate {
    let operations: Int
    let seconds: Double
    let latencies: Histogram<UInt64>
    var perSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }
}

/// The physical limit SEATS is measured against: the same Redis reads a SEATS makes (one pipeline of four: the
/// layout version, the clock, the hold index, the sold seats), straight from Redis clients at the same concurrency,
/// one read in flight per connection, on the show the kiosks read, while their seats are still held.
struct RawSeatsBenchmark {
    let urls: [RedisURL]
    let keys: StoreKeys
    let show: ShowID
    let concurrency: Int

    func run(for duration: Duration) async throws -> RawRate {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        let outcomes = try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for _ in 0..<concurrency {
                group.addTask { [urls, keys, show] in
                    let redis = RedisClient(configuration: .init(urls: urls), logger: BoxOfficeBench.quietLogger)
                    defer { redis.close() }
                    let store = BookingStore(redis: redis, keys: keys)
                    var histogram = Histogram<UInt64>(
                        highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var reads = 0
                    while clock.now < deadline {
                        let before = clock.now
                        _ = try await store.seatMap(of: show, for: nil)
                        reads += 1
                        let (s, atto) = (clock.now - before).components
                        _ = histogram.record(UInt64(max(1, s * 1_000_000 + atto / 1_000_000_000_000)))
                    }
                    return (reads, histogram)
                }
            }
            var total = 0
            var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            for try await (reads, histogram) in group {
                total += reads
                merged.add(histogram)
            }
            return (total, merged)
        }
        return RawRate(
            operations: outcomes.0, seconds: BoxOfficeBench.seconds(clock.now - started), latencies: outcomes.1)
    }
}
