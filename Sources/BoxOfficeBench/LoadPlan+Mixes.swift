import BoxOfficeCore
import BoxOfficeStore
import RedisClient

/// The bench's mixes as load generator plans: what a kiosk connection sends through the daemon, and what a Redis
/// connection sends straight to Redis for the raw comparison.
extension LoadPlan {
    /// HOLD and RELEASE pairs per session (a session allows 64 changes), the same through the daemon and raw.
    static let pairsPerSession = 32

    /// A kiosk that logs in, then, session after session on a random show, holds 1 to 3 random adjacent seats and
    /// releases them, 32 times, and closes.
    static func kioskHolds(login: (kiosk: String, secret: String, user: String, password: String), shows: [String])
        -> LoadPlan
    {
        var plan = LoadPlan()
        plan.logIn(login)
        plan.begin(.cycle)
        let rows = (0..<24).compactMap { SeatID.rowName(at: $0) }
        for _ in 0..<4 {
            plan.line("START \(shows.randomElement()!)", as: .start, .stopPoint)
            for _ in 0..<pairsPerSession {
                let row = rows.randomElement()!
                let first = Int.random(in: 1...37)
                let group = (first..<(first + Int.random(in: 1...3))).map { "\(row)\($0)" }.joined(separator: " ")
                plan.line("HOLD \(group)", as: .hold, .stopPoint, skipIfRefused: 1)
                plan.line("RELEASE \(group)", as: .release)
            }
            plan.line("CLOSE", as: .close)
        }
        plan.begin(.epilogue)
        plan.line("CLOSE", as: .close)
        return plan
    }

    /// Customers in a flash sale at one kiosk, one after another: each starts a session on a random show, reads its
    /// seat map and holds 1 to 6 adjacent free seats (half the time among `hotSeats`), reading the map again and
    /// choosing again after a conflict, three tries at most; then pays (a share `payRate` of them, a share
    /// `declineRate` of those with a card that is declined, then closes) or closes.
    static func kioskFlashSale(
        login: (kiosk: String, secret: String, user: String, password: String), shows: [String],
        hotSeats: Set<String>, payRate: Double, declineRate: Double
    ) -> LoadPlan {
        var plan = LoadPlan()
        plan.hotSeats = hotSeats
        plan.logIn(login)
        plan.begin(.cycle)
        for _ in 0..<16 {
            let pays = Double.random(in: 0..<1) < payRate
            let start = plan.nextIndex
            // START, three tries of SEATS and HOLD, PAY if the customer pays, CLOSE: where each comes in the plan.
            let payOrClose = start + 7
            let close = pays ? payOrClose + 1 : payOrClose
            plan.line("START \(shows.randomElement()!)", as: .start, .stopPoint, skipIfRefused: close - start)
            for attempt in 0..<3 {
                let seats = plan.nextIndex
                plan.line("SEATS", as: .seats, .chooseSeats, skipIfRefused: close - seats - 1)
                plan.line(
                    "HOLD", as: .hold, .withChosenSeats, skipIfOK: payOrClose - seats - 2,
                    skipIfRefused: attempt == 2 ? close - seats - 2 : 0)
            }
            if pays {
                let declined = Double.random(in: 0..<1) < declineRate
                plan.line(declined ? "PAY tok_chargeDeclined" : "PAY tok_visa", as: .pay, .keepFinalLine, skipIfOK: 1)
            }
            plan.line("CLOSE", as: .close)
        }
        return plan
    }

    /// A kiosk that logs in, starts a session on one of `shows`, holds the best 4 seats (or none, if others took
    /// them), then reads the seat map over and over; it closes the session only when finished, after the raw
    /// comparison has read the show with those seats held.
    static func kioskSeats(login: (kiosk: String, secret: String, user: String, password: String), shows: [String])
        -> LoadPlan
    {
        var plan = LoadPlan()
        plan.logIn(login)
        plan.line("START \(shows.randomElement()!)", as: .start)
        plan.line("BEST 4", as: .hold)
        plan.begin(.cycle)
        plan.line("SEATS", as: .seats, .stopPoint)
        plan.begin(.epilogue)
        plan.line("CLOSE", as: .close)
        return plan
    }

    /// Straight to Redis, what ``kioskHolds(login:shows:)`` makes the daemon do: a session (the `start` script
    /// alone: the daemon also makes it the customer's only session), 32 pairs of `hold` and `release` scripts on
    /// random seats of `show`, the `close` script; a new session id each time.
    static func rawHolds(
        store: BookingStore, url: RedisURL, show: ShowID, seats: [SeatID], user: Username, sessionPrefix: String
    ) -> LoadPlan {
        let policy = RawHoldBenchmark.policy
        let placeholder = sessionPrefix + String(repeating: "0", count: 12)
        let session = SessionRef(show: show, id: SessionID(placeholder)!)
        var plan = LoadPlan()
        plan.select(url)
        plan.begin(.cycle)
        plan.commands(
            [store.startCommand(session, user: user, kiosk: RawHoldBenchmark.kiosk, policy: policy)], as: .start,
            [.stopPoint, .outcomeInArray])
        for _ in 0..<pairsPerSession {
            let group = RawHoldBenchmark.randomGroup(of: seats)
            plan.commands(
                [store.holdCommand(session, seats: group, policy: policy)], as: .hold, [.stopPoint, .outcomeInArray],
                skipIfRefused: 1)
            plan.commands([store.releaseCommand(session, seats: group)], as: .release, .outcomeInArray)
        }
        plan.commands([store.endCommand(session, believedHeld: [], as: .closed)], as: .close, .outcomeInArray)
        plan.begin(.epilogue)
        plan.commands([store.endCommand(session, believedHeld: [], as: .closed)], as: .close)
        plan.markTokens(in: placeholder)
        return plan
    }

    /// Straight to Redis, the four reads a SEATS makes of `show`, as one pipeline, over and over.
    static func rawSeats(store: BookingStore, url: RedisURL, show: ShowID) -> LoadPlan {
        var plan = LoadPlan()
        plan.select(url)
        plan.begin(.cycle)
        plan.commands(store.seatMapReads(of: show), as: .seats, .stopPoint)
        return plan
    }

    private mutating func logIn(_ login: (kiosk: String, secret: String, user: String, password: String)) {
        line("KIOSK \(login.kiosk) \(login.secret)", as: .start)
        line("LOGIN \(login.user) \(login.password)", as: .start)
    }

    /// Logs in and picks the database, as the daemon's Redis connections do.
    private mutating func select(_ url: RedisURL) {
        for command in url.setupCommands { commands([command], as: .start) }
    }
}
