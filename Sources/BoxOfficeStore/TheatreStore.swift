import BoxOfficeCore
import RedisClient

/// The theatre's programme in Redis: screens, movies and shows, written once and read by every kiosk.
public final class TheatreStore: Sendable {
    private let redis: RedisClient
    private let keys: StoreKeys

    /// Creates a store over `redis` with the key schema `keys`.
    public init(redis: RedisClient, keys: StoreKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// Redis's clock, the one every seat rule runs on.
    public func now() async throws(StoreError) -> Timestamp {
        let reply = try await redis.run(RedisCommand("TIME"))
        guard let seconds = reply.array?.first?.integer else { throw .unexpectedReply("TIME: \(reply)") }
        return Timestamp(secondsSinceEpoch: seconds)
    }

    /// Writes `theatre` unless a theatre is already loaded; the claim on the theatre key makes two daemons
    /// starting at once load it only once.
    /// - Returns: true when this call loaded it.
    public func loadIfEmpty(_ theatre: Theatre) async throws(StoreError) -> Bool {
        let claim = try await redis.run(RedisCommand("HSETNX", keys.theatre, "name", theatre.name))
        guard claim.integer == 1 else { return false }
        var commands: [RedisCommand] = []
        let screens = Dictionary(uniqueKeysWithValues: theatre.screens.map { ($0.id, $0) })
        for screen in theatre.screens {
            commands.append(
                RedisCommand(
                    "HSET", keys.screen(screen.id), "id", screen.id, "name", screen.name,
                    "rows", screen.seatsPerRow.map(String.init).joined(separator: " ")))
        }
        for movie in theatre.movies {
            commands.append(
                RedisCommand(
                    "HSET", keys.movie(movie.id), "id", movie.id, "title", movie.title,
                    "runtime_minutes", String(movie.runtimeMinutes)))
        }
        for show in theatre.shows {
            guard let screen = screens[show.screenID] else { continue }
            commands += showCommands(show, on: screen)
        }
        commands.append(
            RedisCommand(
                "HSET", keys.theatre, "screens", String(theatre.screens.count),
                "shows", String(theatre.shows.count)))
        let replies = try await redis.pipeline(commands)
        if let failure = replies.compactMap(\.errorMessage).first { throw .unexpectedReply(failure) }
        return true
    }

    /// Adds one show, with its screen's seats, unless a show with its id exists.
    /// - Returns: false when the id is taken; nothing is written then.
    public func add(_ show: Show, on screen: Screen) async throws(StoreError) -> Bool {
        let claim = try await redis.run(RedisCommand("HSETNX", keys.show(show.id), "id", show.id.rawValue))
        guard claim.integer == 1 else { return false }
        let replies = try await redis.pipeline(showCommands(show, on: screen))
        if let failure = replies.compactMap(\.errorMessage).first { throw .unexpectedReply(failure) }
        return true
    }

    /// The writes that put one show and its seat map into Redis.
    private func showCommands(_ show: Show, on screen: Screen) -> [RedisCommand] {
        let seats = screen.seats
        return [
            RedisCommand(
                "HSET", keys.show(show.id), "id", show.id.rawValue, "screen", screen.id, "screen_name", screen.name,
                "movie", show.movieID, "title", show.title, "start", show.start.description,
                "start_epoch", String(show.start.secondsSinceEpoch),
                "duration_minutes", String(show.durationMinutes),
                "seats", seats.map(\.description).joined(separator: " "), "layout_version", "1"),
            RedisCommand("HSET", arguments: [keys.seats(show.id)] + seats.flatMap { [$0.description, "standard"] }),
            RedisCommand("ZADD", keys.shows, String(show.start.secondsSinceEpoch), show.id.rawValue),
        ]
    }

    /// Shows that start after `now`, soonest first.
    public func upcomingShows(after now: Timestamp) async throws(StoreError) -> [Show] {
        let ids = try await redis.run(
            RedisCommand("ZRANGE", keys.shows, "(\(now.secondsSinceEpoch)", "+inf", "BYSCORE"))
        let showIDs = (ids.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
        return try await shows(showIDs)
    }

    /// The shows with these ids, in the same order; unknown ids are left out.
    public func shows(_ ids: [ShowID]) async throws(StoreError) -> [Show] {
        guard !ids.isEmpty else { return [] }
        let replies = try await redis.pipeline(
            ids.map {
                RedisCommand("HMGET", keys.show($0), "screen", "movie", "title", "start_epoch", "duration_minutes")
            })
        return zip(ids, replies).compactMap { id, reply in
            guard let fields = reply.array?.map(\.string), fields.count == 5, let screen = fields[0],
                let movie = fields[1], let title = fields[2], let start = fields[3].flatMap({ Int($0) }),
                let duration = fields[4].flatMap({ Int($0) })
            else { return nil }
            return Show(
                id: id, screenID: screen, movieID: movie, title: title,
                start: Timestamp(secondsSinceEpoch: start), durationMinutes: duration)
        }
    }

    /// Every show id, for reconciliation sweeps.
    public func allShowIDs() async throws(StoreError) -> [ShowID] {
        let reply = try await redis.run(RedisCommand("ZRANGE", keys.shows, "0", "-1"))
        return (reply.array ?? []).compactMap { $0.string.flatMap { ShowID($0) } }
    }
}
