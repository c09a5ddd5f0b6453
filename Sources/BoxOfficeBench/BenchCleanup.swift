import BoxOfficeStore
import RedisClient

/// Removes what one bench run wrote into the daemon's Redis (`--cleanup`), so that the operator's figures count
/// customers only: the run's shows (every key of theirs: seats, holds, sessions, bookings, audit) and their entries
/// in the programme, its customers and their login and START counters (the raw comparison's `rawbench-N` too), and
/// its payments in the simulated gateway's ledger; the bench screen and film too once no bench show is left.
struct BenchCleanup {
    let redis: RedisClient
    let keys: StoreKeys
    /// The run's tag: its shows are `bench-<run>-N`, its customers `bench<run>-N`.
    let run: String

    /// How much was removed.
    struct Summary {
        let shows: Int
        let keys: Int
    }

    /// Deletes the run's keys, one key a command (on a cluster they lie in many slots).
    func run() async throws(RedisError) -> Summary {
        let prefix = keys.prefix
        let showKeys = try await redis.scan(matching: "\(prefix):{show:bench-\(run)-*}:*")
        let sessions = Set(
            showKeys.compactMap { key -> String? in
                let parts = key.split(separator: ":")
                return parts.count >= 2 && parts[parts.count - 2] == "session" ? String(parts[parts.count - 1]) : nil
            })
        let payments = try await redis.scan(matching: "\(prefix):paysim:auth:*").filter { key in
            let attempt = key.split(separator: ":").last ?? ""
            return sessions.contains(String(attempt.split(separator: "-").first ?? ""))
        }
        var doomed = showKeys + payments
        let patterns = [
            "user:bench\(run)-*", "{starts}:user:bench\(run)-*", "{login}:*bench\(run)-*",
            // The raw comparison's customers and kiosk (RawHoldBenchmark), the same in every run.
            "user:rawbench-*", "{starts}:user:rawbench-*", "{starts}:*kiosk:raw-bench",
        ]
        for pattern in patterns {
            doomed += try await redis.scan(matching: "\(prefix):\(pattern)")
        }
        let programme = try await redis.send(RedisCommand("ZRANGE", keys.shows, "0", "-1")).array ?? []
        let ids = programme.compactMap(\.string)
        let mine = ids.filter { $0.hasPrefix("bench-\(run)-") }
        if !mine.isEmpty { _ = try await redis.send(RedisCommand("ZREM", arguments: [keys.shows] + mine)) }
        if !ids.contains(where: { $0.hasPrefix("bench-") && !mine.contains($0) }) {
            doomed += [keys.screen("bench"), keys.movie("bench")]
        }
        for batch in stride(from: 0, to: doomed.count, by: 1000) {
            _ = try await redis.send(doomed[batch..<min(batch + 1000, doomed.count)].map { RedisCommand("DEL", $0) })
        }
        return Summary(shows: mine.count, keys: doomed.count)
    }
}
