import BoxOfficeCore
import Foundation
import KioskUI
import Testing

/// Drives a ``Kiosk`` on a test clock: feeds inputs, answers its requests by hand, and keeps what it sent. Like
/// the real link, it answers requests strictly in the order they were sent; a lost connection loses them all.
struct KioskDriver {
    var kiosk: Kiosk
    var clock = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-17T...Z
    var sent: [Request] = []
    var lastActions: [KioskAction] = []

    /// The daemon of a kiosk given no other.
    static let daemon = DaemonAddress(host: "127.0.0.1", port: 7420)

    init(
        idleReset: Double = 90, demo: Bool = true, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        daemons: [DaemonAddress] = [daemon], printer: String? = nil
    ) {
        kiosk = Kiosk(
            configuration: KioskConfiguration(
                kioskID: "demo", secret: "s3cret", daemons: daemons, idleResetSeconds: idleReset, demo: demo,
                timeZone: timeZone, printer: printer),
            now: clock)
    }

    @discardableResult
    mutating func feed(_ input: KioskInput) -> [KioskAction] {
        lastActions = kiosk.handle(input, at: clock)
        // The requests of a connection that is gone get no answer.
        if case .disconnected = input { sent.removeAll() }
        if lastActions.contains(where: { if case .reconnect = $0 { true } else { false } }) { sent.removeAll() }
        for case .send(let request) in lastActions { sent.append(request) }
        return lastActions
    }

    mutating func press(_ keys: Key...) {
        for key in keys { feed(.key(key)) }
    }

    mutating func type(_ text: String) {
        for character in text { feed(.key(.character(character))) }
    }

    mutating func advance(_ seconds: Double) {
        clock = clock.addingTimeInterval(seconds)
        feed(.tick)
    }

    /// The oldest unanswered request, which must start with `prefix`: the server answers in order.
    mutating func take(_ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Request {
        let oldest = try #require(sent.first, "no \(prefix): nothing is waiting", sourceLocation: sourceLocation)
        try #require(
            oldest.command.line.hasPrefix(prefix),
            "the oldest request is not \(prefix): \(sent.map(\.command.line))", sourceLocation: sourceLocation)
        return sent.removeFirst()
    }

    /// True when a request starting with `prefix` waits for its answer (in any place of the queue).
    func waiting(_ prefix: String) -> Bool { sent.contains { $0.command.line.hasPrefix(prefix) } }

    /// Answers the oldest request starting with `prefix` with a final line only.
    @discardableResult
    mutating func answer(_ prefix: String, _ final: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [KioskAction]
    {
        try answer(prefix, [], final, sourceLocation: sourceLocation)
    }

    /// Answers the oldest request starting with `prefix`.
    @discardableResult
    mutating func answer(
        _ prefix: String, _ data: [String], _ final: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [KioskAction] {
        let request = try take(prefix, sourceLocation: sourceLocation)
        return feed(.reply(request, ServerReply(data: data, final: final)))
    }

    /// The shows the tests use: two films, later on the test clock's day.
    var showLines: [String] {
        let day = ISO8601DateFormatter().string(from: clock).prefix(10)
        return [
            "SHOW 7 1 \(day)T20:00:00Z 120 Night Train to Lisbon",
            "SHOW 8 2 \(day)T21:30:00Z 95 Paper Moons",
            "SHOW 9 1 \(day)T22:30:00Z 120 Night Train to Lisbon",
        ]
    }

    static let layout = [
        "SCREEN 1 Grand", "ROW A ww_ssss_ww", "ROW B ss_sxss_ss", "ROW C pp_pppp_pp",
    ]

    static let seats: [String] = {
        var lines: [String] = []
        for (row, kinds) in [("A", "wwssssww"), ("B", "sssxssss"), ("C", "pppppppp")] {
            for (index, kind) in kinds.enumerated() where kind != "x" {
                let name = ["w": "wheelchair", "s": "standard", "p": "premium"][String(kind)]!
                let state = row == "B" && index == 0 ? "PERMANENTLY_UNAVAILABLE" : "AVAILABLE"
                lines.append("SEAT \(row)\(index + 1) \(state) \(name)")
            }
        }
        return lines
    }()

    /// Connects, identifies, and fills in the log-in form as `name` with `password123`: the LOGIN is then sent and
    /// waits for its answer.
    mutating func submitLogin(typing name: String = "alice") throws {
        feed(.connected)
        try answer("KIOSK demo s3cret", "OK KIOSK demo")
        press(.enter)
        type(name)
        press(.enter)
        type("password123")
        press(.enter)
    }

    /// Connects, identifies, registers nobody, logs `alice` in (typed with a capital, which the kiosk lowers).
    mutating func logIn() throws {
        try submitLogin(typing: "Alice")
        try answer("LOGIN alice password123", "OK LOGGED_IN alice")
        try answer("SHOWS", showLines, "OK 3")
        try answerShowDetails()
    }

    /// Answers the PRICES and LAYOUT requests that follow the list of shows, in the order they were sent.
    mutating func answerShowDetails() throws {
        for show in ["7", "9", "8"] {
            try answer(
                "PRICES \(show)", ["PRICE standard 1200", "PRICE premium 1600", "PRICE wheelchair 1200"], "OK EUR")
        }
        try answer("LAYOUT 7", Self.layout, "OK 3")
        try answer("LAYOUT 8", ["SCREEN 2 Studio", "ROW A ssss"], "OK 1")
    }

    /// Logs in and opens the seat map of show 7 with session `abc`.
    mutating func openSeatMap() throws {
        try logIn()
        press(.enter)
        try answer("START 7", "OK SESSION 0123456789abcdef0123 7")
        try answer("LAYOUT 7", Self.layout, "OK 3")
        try answer("WATCH 7", "OK WATCHING 7")
        try answer("SEATS", Self.seats, "OK 19 AVAILABLE")
    }

    /// Logs in, holds C4 C5 on show 7 and reaches the payment screen: two premium seats quoted 32.00 EUR.
    mutating func openPayment(plain: Bool = false) throws {
        try openSeatMap()
        if plain {
            feed(.line("c4 c5"))
        } else {
            goTo("C4")
            press(.character(" "), .right, .character(" "), .enter)
        }
        try answer("HOLD C4 C5", "OK HELD C4 C5 EXPIRES 300")
        if plain { feed(.line("p")) } else { press(.enter) }
        try answer("QUOTE", ["ITEM premium 2 1600 3200"], "OK 3200 EUR")
    }

    /// After a lost connection: connects, identifies and logs `alice` in again.
    mutating func reconnect() throws {
        feed(.connected)
        try answer("KIOSK demo s3cret", "OK KIOSK demo")
        try answer("LOGIN alice password123", "OK LOGGED_IN alice")
    }

    /// Types a seat id and Enter: the cursor jumps there.
    mutating func goTo(_ seat: String) {
        type(seat)
        press(.enter)
    }

    var seatScreen: SeatScreen? {
        if case .seats(let seats) = kiosk.screen { return seats }
        return nil
    }

    var paymentInDoubt: PaymentInDoubt? {
        if case .paymentInDoubt(let doubt) = kiosk.screen { return doubt }
        return nil
    }

    var paymentForm: PaymentForm? {
        if case .payment(let form) = kiosk.screen { return form }
        return nil
    }

    /// The full-screen frame, 80x24, as one string.
    var frameText: String { ScreenRenderer(width: 80, height: 24).frame(kiosk).joined(separator: "\n") }
}
