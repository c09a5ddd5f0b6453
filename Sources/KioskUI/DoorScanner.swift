import Foundation

/// A door scanner (`boxoffice-kiosk --door`): a barcode scanner types a ticket code and Enter, the scanner sends
/// `ADMIT`, and the answer stands on the screen, in big words, until the next ticket. A state machine like
/// ``Kiosk``: the shell feeds it inputs and carries out its actions.
public struct DoorScanner: Sendable {
    /// What the last scan came to.
    public enum Verdict: Hashable, Sendable {
        /// Let them in: the booking, its show, screen and start, the customer and the seats.
        case admitted(booking: String, show: String, screen: String, start: Date?, user: String, seats: [String])
        /// Do not: why, in words.
        case refused(String)
    }

    /// The longest line taken as a scan; anything longer is refused without asking the box office.
    public static let longestCode = 80
    /// Seconds before connecting again after the connection dropped.
    public static let reconnectDelay: Double = 1
    /// Seconds before trying again after the box office refused this door's id or secret.
    public static let refusedRetryDelay: Double = 30
    /// Seconds a scan waits for its answer, the connection's time to come back included. Past them the scan is
    /// given up and the door asks for the ticket again: an answer that came later would put ADMIT on the screen
    /// in front of whoever stands at the door by then, and the scan would hold up every scan after it.
    public static let answerTimeout: Double = 5

    /// The door's id, secret and daemons (its idle and demo settings mean nothing here).
    public let configuration: KioskConfiguration
    /// Where the connection stands.
    public private(set) var link = Kiosk.Link.connecting
    /// The last scan's verdict; nil before the first.
    public private(set) var verdict: Verdict?
    /// The code scanned and not answered yet: sent, or to be sent once the door is identified.
    public private(set) var scanning: String?
    /// The box office refused the door's id or secret, or says it is not a door: staff must mend its profile.
    public private(set) var misconfigured = false
    /// When ``scanning`` was scanned.
    private var scannedAt: Date?
    private var daemon = 0

    /// A scanner that is not connected yet.
    public init(configuration: KioskConfiguration) {
        self.configuration = configuration
    }

    /// Takes one input at time `now`; returns what the shell must do. The shell ticks it a few times a second.
    public mutating func handle(_ input: KioskInput, at now: Date = Date()) -> [KioskAction] {
        switch input {
        case .connected:
            link = .identifying
            return [.send(Request(.kiosk(id: configuration.kioskID, secret: configuration.secret), epoch: 0))]
        case .disconnected:
            return connectionLost(after: Self.reconnectDelay)
        case .line(let text):
            return scanned(text.trimmingCharacters(in: .whitespaces), at: now)
        case .reply(let request, let reply):
            return answered(request.command, reply)
        case .tick:
            return ticked(at: now)
        case .key, .event, .printFailed:
            return []
        }
    }

    /// Gives up a scan not answered within ``answerTimeout``; when its ADMIT went out, the connection is suspect and
    /// is made anew (a late answer on the old one is never read).
    private mutating func ticked(at now: Date) -> [KioskAction] {
        guard scanning != nil, let scannedAt, now.timeIntervalSince(scannedAt) >= Self.answerTimeout else { return [] }
        let sent = link == .ready
        scanning = nil
        verdict = .refused("The box office did not answer. Please scan the ticket again.")
        return sent ? connectionLost(after: 0) : []
    }

    private mutating func connectionLost(after delay: Double) -> [KioskAction] {
        link = .connecting
        if scanning != nil { verdict = .refused("The box office did not answer. Please scan the ticket again.") }
        scanning = nil
        daemon = (daemon + 1) % configuration.daemons.count
        return [.reconnect(to: configuration.daemons[daemon], after: delay)]
    }

    private mutating func scanned(_ code: String, at now: Date) -> [KioskAction] {
        guard !code.isEmpty else { return [] }
        guard code.count <= Self.longestCode, !code.contains(" "),
            !code.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
        else {
            verdict = .refused("This is not a ticket code.")
            return []
        }
        guard scanning == nil else {
            verdict = .refused("One ticket at a time: please scan this one again.")
            return []
        }
        scanning = code
        scannedAt = now
        verdict = nil
        return link == .ready ? [.send(Request(.admit(code: code), epoch: 0))] : []
    }

    private mutating func answered(_ command: KioskCommand, _ reply: ServerReply) -> [KioskAction] {
        switch command {
        case .kiosk:
            guard reply.isOK else {
                misconfigured = reply.errorCode == "AUTH_FAILED"
                return connectionLost(after: misconfigured ? Self.refusedRetryDelay : Self.reconnectDelay)
            }
            misconfigured = false
            link = .ready
            if let code = scanning { return [.send(Request(.admit(code: code), epoch: 0))] }
        case .admit(let code):
            // An answer to a scan given up meanwhile is not this scan's.
            guard code == scanning else { return [] }
            scanning = nil
            verdict = Self.verdict(reply, timeZone: configuration.timeZone)
            if reply.errorCode == "WRONG_ROLE" { misconfigured = true }
        default:
            break
        }
        return []
    }

    /// `OK ADMITTED <booking> <show> <screen> <start> <user> <seat>...`, or a refusal in words.
    static func verdict(_ reply: ServerReply, timeZone: TimeZone) -> Verdict {
        let words = reply.words
        if reply.isOK, words.count >= 7, words[0] == "ADMITTED" {
            return .admitted(
                booking: words[1], show: words[2], screen: words[3], start: Date(instant: Substring(words[4])),
                user: words[5], seats: Array(words[6...]))
        }
        func time(_ index: Int) -> String {
            guard words.count > index, let date = Date(instant: Substring(words[index])) else { return "?" }
            return DateFormats.string(from: date, pattern: "HH:mm", timeZone: timeZone)
        }
        let detail = words.count > 1 ? words[1] : ""
        let text =
            switch reply.errorCode {
            case "UNKNOWN_TICKET": "Unknown ticket."
            case "BAD_REQUEST": "This is not a ticket code."
            case "WRONG_SCREEN": "This ticket is for screen \(detail), not this door's."
            case "NOT_YET_OPEN": "Too early: the doors open for this show at \(time(1))."
            case "SHOW_OVER": "This show is over."
            case "BOOKING_CANCELLED": "This booking was cancelled."
            case "ALREADY_ADMITTED":
                "Already admitted at \(time(1))" + (words.count > 2 ? " by \(words[2])." : ".")
            case "WRONG_ROLE": "This kiosk is not a door: staff must check its profile."
            default: "The box office could not answer (\(reply.errorCode ?? "?")). Please scan again."
            }
        return .refused(text)
    }
}
