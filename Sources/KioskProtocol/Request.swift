import BoxOfficeCore

/// One parsed request line. Parsing checks grammar and bounds only; whether a request is allowed now is the
/// server's business.
public enum Request: Sendable {
    /// `PING`
    case ping
    /// `QUIT`
    case quit
    /// `KIOSK <kiosk-id> <secret>`; an id out of form cannot match a profile and arrives as nil.
    case kiosk(KioskID?, secret: String)
    /// `REGISTER <username> <password>`
    case register(Username, Password)
    /// `LOGIN <username> <password>`; a name or password out of form cannot match an account and arrives as nil.
    case login(Username?, Password?)
    /// `LOGOUT`
    case logout
    /// `SHOWS`
    case shows
    /// `LAYOUT <show-id>`
    case layout(ShowID)
    /// `PRICES <show-id>`
    case prices(ShowID)
    /// `WATCH <show-id>`
    case watch(ShowID)
    /// `UNWATCH`
    case unwatch
    /// `START <show-id>`
    case start(ShowID)
    /// `RESUME <session-id> [<show-id>]`
    case resume(SessionID, show: ShowID?)
    /// `BEST <count> [<kind>] [REPLACE]`; without a kind, any kind but wheelchair spaces. With `REPLACE` the group
    /// takes the place of the seats the session holds, in one step.
    case best(count: Int, kind: SeatKind?, replace: Bool)
    /// `SEATS [<show-id>]`
    case seats(ShowID?)
    /// `HOLD <seat-id>...`
    case hold([SeatID])
    /// `RELEASE <seat-id>...`
    case release([SeatID])
    /// `QUOTE [<kind>:<type>=<count>...]`; without ticket types, every seat as the show's default type.
    case quote(TicketChoice)
    /// `PAY <payment-token> [<amount> <currency> [<kind>:<type>=<count>...]]`; the token stays text here, the payment
    /// layer validates it. The amount is the total the customer was shown, when the kiosk sends it.
    case pay(token: String, shown: ShownTotal?, tickets: TicketChoice)
    /// `CLOSE`
    case close
    /// `BOOKINGS`
    case bookings
    /// `STATS`
    case stats
    /// `HELP`
    case help
    /// `ADMIT <ticket-code>`: a door kiosk lets the ticket's holders in.
    case admit(TicketCode)
    /// `CANCEL <booking-id>`: the logged-in customer cancels a booking of their own.
    case cancel(BookingID)

    /// The most seat ids one HOLD or RELEASE may name.
    public static let maximumSeatsPerRequest = 64
    /// The longest kiosk secret or payment token accepted, in bytes.
    public static let maximumSecretLength = 256
    /// The largest BEST count the grammar accepts; the kiosk's own seat limit, at most
    /// ``maximumSeatsPerRequest``, is the server's answer to anything over it.
    public static let maximumBestCount = 9999

    /// Parses one line, without its line ending.
    /// - Throws: ``WireError`` with `UNKNOWN_COMMAND`, `BAD_REQUEST`, `INVALID_USERNAME` or `WEAK_PASSWORD`.
    public init(parsing bytes: some Collection<UInt8>) throws(WireError) {
        guard bytes.count <= Wire.maximumLineLength else { throw WireError(.lineTooLong) }
        guard let line = String(validating: bytes, as: UTF8.self) else { throw WireError(.badRequest, "not UTF-8") }
        guard !line.isEmpty else { throw WireError(.badRequest, "empty request") }
        guard !line.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else {
            throw WireError(.badRequest, "control character in request")
        }
        let tokens = line.split(separator: " ", omittingEmptySubsequences: false)
        guard !tokens.contains(where: \.isEmpty) else {
            throw WireError(.badRequest, "tokens are separated by single spaces")
        }
        let arguments = tokens.dropFirst()
        func expect(_ count: Int, _ usage: String) throws(WireError) {
            guard arguments.count == count else { throw WireError(.badRequest, "usage: \(usage)") }
        }
        func showID(_ text: Substring) throws(WireError) -> ShowID {
            guard let id = ShowID(text) else { throw WireError(.badRequest, "show ids are 1-32 of A-Z a-z 0-9 _ -") }
            return id
        }
        func seatIDs(_ usage: String) throws(WireError) -> [SeatID] {
            guard !arguments.isEmpty else { throw WireError(.badRequest, "usage: \(usage)") }
            guard arguments.count <= Self.maximumSeatsPerRequest else {
                throw WireError(.badRequest, "at most \(Self.maximumSeatsPerRequest) seats per request")
            }
            var seats: [SeatID] = []
            for text in arguments {
                guard let seat = SeatID(text) else {
                    if let upper = SeatID(text.uppercased()) {
                        throw WireError(.badRequest, "seat ids are upper case: \(upper)")
                    }
                    throw WireError(.badRequest, "seat ids look like A1 or C12")
                }
                guard !seats.contains(seat) else { throw WireError(.badRequest, "seat \(seat) named twice") }
                seats.append(seat)
            }
            return seats
        }
        func secret(_ text: Substring) throws(WireError) -> String {
            guard text.utf8.count <= Self.maximumSecretLength else { throw WireError(.badRequest, "token too long") }
            return String(text)
        }

        switch tokens[0].uppercased() {
        case "PING":
            try expect(0, "PING")
            self = .ping
        case "QUIT":
            try expect(0, "QUIT")
            self = .quit
        case "KIOSK":
            try expect(2, "KIOSK <kiosk-id> <secret>")
            self = .kiosk(KioskID(arguments.first!), secret: try secret(arguments.last!))
        case "REGISTER":
            try expect(2, "REGISTER <username> <password>")
            guard let user = Username(arguments.first!) else {
                throw WireError(.invalidUsername, "3-32 of a-z 0-9 _ . -")
            }
            guard let password = Password(arguments.last!) else {
                throw WireError(.weakPassword, "8-128 bytes without spaces")
            }
            self = .register(user, password)
        case "LOGIN":
            try expect(2, "LOGIN <username> <password>")
            self = .login(Username(arguments.first!), Password(arguments.last!))
        case "LOGOUT":
            try expect(0, "LOGOUT")
            self = .logout
        case "SHOWS":
            try expect(0, "SHOWS")
            self = .shows
        case "LAYOUT":
            try expect(1, "LAYOUT <show-id>")
            self = .layout(try showID(arguments.first!))
        case "PRICES":
            try expect(1, "PRICES <show-id>")
            self = .prices(try showID(arguments.first!))
        case "WATCH":
            try expect(1, "WATCH <show-id>")
            self = .watch(try showID(arguments.first!))
        case "UNWATCH":
            try expect(0, "UNWATCH")
            self = .unwatch
        case "START":
            try expect(1, "START <show-id>")
            self = .start(try showID(arguments.first!))
        case "RESUME":
            guard (1...2).contains(arguments.count) else {
                throw WireError(.badRequest, "usage: RESUME <session-id> [<show-id>]")
            }
            guard let session = SessionID(arguments.first!) else {
                throw WireError(.badRequest, "session ids are 20 of 0-9 a-f")
            }
            self = .resume(
                session, show: try arguments.dropFirst().first.map { text throws(WireError) in try showID(text) })
        case "BEST":
            let usage = "usage: BEST <count> [<kind>] [REPLACE]"
            let replace = arguments.count > 1 && arguments.last!.uppercased() == "REPLACE"
            let words = replace ? arguments.dropLast() : arguments
            guard (1...2).contains(words.count) else { throw WireError(.badRequest, usage) }
            guard let count = Int(words.first!), (1...Self.maximumBestCount).contains(count),
                words.first!.first != "0", words.first!.first != "+"
            else {
                throw WireError(.badRequest, "count is a number from 1 to the kiosk's seat limit")
            }
            var kind: SeatKind?
            if words.count == 2 {
                guard let named = SeatKind(rawValue: String(words.last!)), named.isForSale else {
                    throw WireError(.badRequest, "kind is standard, premium or wheelchair")
                }
                kind = named
            }
            self = .best(count: count, kind: kind, replace: replace)
        case "SEATS":
            guard arguments.count <= 1 else { throw WireError(.badRequest, "usage: SEATS [<show-id>]") }
            self = .seats(try arguments.first.map { text throws(WireError) in try showID(text) })
        case "HOLD":
            self = .hold(try seatIDs("HOLD <seat-id> [<seat-id> ...]"))
        case "RELEASE":
            self = .release(try seatIDs("RELEASE <seat-id> [<seat-id> ...]"))
        case "QUOTE":
            self = .quote(try Self.ticketChoice(arguments))
        case "PAY":
            guard arguments.count == 1 || arguments.count >= 3 else {
                throw WireError(
                    .badRequest, "usage: PAY <payment-token> [<amount> <currency> [<kind>:<type>=<count> ...]]")
            }
            let words = Array(arguments)
            var shown: ShownTotal?
            if words.count >= 3 {
                guard let total = ShownTotal(amount: words[1], currency: words[2]) else {
                    throw WireError(
                        .badRequest, "amount is 1-12 digits (minor units), currency 3 capital letters (ISO 4217)")
                }
                shown = total
            }
            self = .pay(token: try secret(words[0]), shown: shown, tickets: try Self.ticketChoice(words.dropFirst(3)))
        case "CLOSE":
            try expect(0, "CLOSE")
            self = .close
        case "BOOKINGS":
            try expect(0, "BOOKINGS")
            self = .bookings
        case "STATS":
            try expect(0, "STATS")
            self = .stats
        case "HELP":
            try expect(0, "HELP")
            self = .help
        case "ADMIT":
            try expect(1, "ADMIT <ticket-code>")
            guard let code = TicketCode(arguments.first!) else {
                throw WireError(.badRequest, "ticket codes are <show-id>.<32 of 0-9 a-f>")
            }
            self = .admit(code)
        case "CANCEL":
            try expect(1, "CANCEL <booking-id>")
            guard let booking = BookingID(arguments.first!) else {
                throw WireError(.badRequest, "booking ids are BK and 10 of 0-9 A-Z")
            }
            self = .cancel(booking)
        default:
            throw WireError(.unknownCommand, Self.unknownCommandDetail(tokens[0]))
        }
    }
}

extension Request {
    /// The most `<kind>:<type>=<count>` entries one QUOTE or PAY may give: every kind with every type.
    public static let maximumTicketEntries = 24

    /// Reads `<kind>:<type>=<count>` entries: a kind on sale, a ticket type id, a count from 1 to 64; each kind and
    /// type at most once.
    static func ticketChoice(_ words: some Collection<Substring>) throws(WireError) -> TicketChoice {
        guard words.count <= maximumTicketEntries else {
            throw WireError(.badRequest, "at most \(maximumTicketEntries) ticket entries")
        }
        var entries: [TicketChoice.Entry] = []
        for word in words {
            let parts = word.split(separator: "=", omittingEmptySubsequences: false)
            let left = parts[0].split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, left.count == 2, let kind = SeatKind(rawValue: String(left[0])), kind.isForSale,
                TicketType.isValidID(left[1]), let count = Int(parts[1]), (1...maximumSeatsPerRequest).contains(count),
                parts[1].first != "0"
            else {
                throw WireError(
                    .badRequest,
                    "tickets are <kind>:<type>=<count>, such as standard:child=2 (kind standard, premium or "
                        + "wheelchair; count 1-\(maximumSeatsPerRequest))")
            }
            guard !entries.contains(where: { $0.kind == kind && $0.type == left[1] }) else {
                throw WireError(.badRequest, "\(kind.rawValue):\(left[1]) is given twice")
            }
            entries.append(TicketChoice.Entry(kind: kind, type: String(left[1]), count: count))
        }
        return TicketChoice(entries: entries)
    }

    /// What `ERR UNKNOWN_COMMAND` says: the word, when it is a short word (anything else is not echoed), and where
    /// to look.
    static func unknownCommandDetail(_ word: Substring) -> String {
        let isShortWord =
            word.utf8.count <= 16
            && word.utf8.allSatisfy { (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) }
        return (isShortWord ? "\(word): " : "") + "HELP lists the commands allowed now"
    }
}

/// The total a kiosk showed its customer before PAY: an amount in the currency's minor units and an ISO 4217 code.
public struct ShownTotal: Sendable, Equatable {
    /// The amount, in minor units (cents).
    public let minorUnits: Int
    /// The currency, three capital letters.
    public let currency: String

    /// Reads `<amount> <currency>`: 1 to 12 digits without leading zeros, and three capital letters; nil otherwise.
    public init?(amount: some StringProtocol, currency: some StringProtocol) {
        guard (1...12).contains(amount.utf8.count), amount.utf8.allSatisfy({ (48...57).contains($0) }),
            amount == "0" || amount.utf8.first != 48, let minorUnits = Int(amount),
            currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) })
        else { return nil }
        self.minorUnits = minorUnits
        self.currency = String(currency)
    }
}
