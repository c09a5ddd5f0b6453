import Foundation
import RedisClient

/// The redis-server the test run was given (`BOXOFFICE_TEST_REDIS_URL`, set by `.ci/with-redis`), and helpers
/// to keep each test on keys of its own.
public enum TestRedis {
    /// The environment variable naming the test Redis.
    public static let environmentKey = "BOXOFFICE_TEST_REDIS_URL"

    /// The test Redis's URL, or nil when the tests were not started through `make test`.
    public static var url: RedisURL? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { RedisURL($0) }
    }

    /// A key prefix no other test uses.
    public static func uniquePrefix(_ label: String) -> String {
        "t-\(label.prefix(12))-\(UInt32.random(in: .min ... .max))"
    }

    /// Deletes every key under `prefix`, including the per-show keys (`prefix:{show:...}`).
    public static func deleteKeys(prefix: String, using client: RedisClient) async {
        var cursor = "0"
        repeat {
            guard
                let reply = try? await client.send(
                    RedisCommand("SCAN", cursor, "MATCH", "\(prefix):*", "COUNT", "1000")),
                let parts = reply.array, parts.count == 2, let next = parts[0].string
            else { return }
            let keys = (parts[1].array ?? []).compactMap(\.string)
            if !keys.isEmpty { _ = try? await client.send(RedisCommand("DEL", arguments: keys)) }
            cursor = next
        } while cursor != "0"
    }
}
