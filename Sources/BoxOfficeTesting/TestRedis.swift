import Foundation
import RedisClient

/// The redis-server the test run was given (`BOXOFFICE_TEST_REDIS_URL`, set by `.ci/with-redis`), and helpers
/// to keep each test on keys of its own.
public enum TestRedis {
    /// The environment variable naming the test Redis.
    public static let environmentKey = "BOXOFFICE_TEST_REDIS_URL"

    /// The test Redis's URL (the first seed, when it is a cluster), or nil when the tests were not started through
    /// `make test`.
    public static var url: RedisURL? { urls?.first }

    /// The test Redis's URLs: one server, or the seed nodes of a cluster (`.ci/with-redis-cluster`).
    public static var urls: [RedisURL]? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { RedisURL.list($0) }
    }

    /// A key prefix no other test uses.
    public static func uniquePrefix(_ label: String) -> String {
        "t-\(label.prefix(12))-\(UInt32.random(in: .min ... .max))"
    }

    /// Deletes every key under `prefix`, including the per-show keys (`prefix:{show:...}`).
    public static func deleteKeys(prefix: String, using client: RedisClient) async {
        guard let keys = try? await client.scan(matching: "\(prefix):*") else { return }
        // One key a command: on a cluster the keys lie in many slots.
        for batch in stride(from: 0, to: keys.count, by: 1000) {
            _ = try? await client.send(keys[batch..<min(batch + 1000, keys.count)].map { RedisCommand("DEL", $0) })
        }
    }
}
