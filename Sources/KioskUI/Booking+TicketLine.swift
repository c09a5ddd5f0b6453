// MARK: TICKET lines: `TICKET <booking-id> <ticket-code>`, before `OK BOOKED` and after each `BOOKING`

extension Booking {
    /// The bookings of a `BOOKINGS` reply's data lines, each with the code of the `TICKET` line that names it.
    public static func list(from lines: [String]) -> [Booking] {
        let codes = ticketCodes(in: lines)
        return lines.compactMap { line in
            guard var booking = Booking(line: line) else { return nil }
            booking.ticketCode = codes[booking.id]
            return booking
        }
    }

    /// The ticket codes named by `TICKET <booking-id> <ticket-code>` lines, by booking id. A code that is not 1 to
    /// 100 printable ASCII characters is left out: the kiosk shows codes in text, so none may carry a control
    /// character to the terminal.
    public static func ticketCodes(in lines: [String]) -> [String: String] {
        var codes: [String: String] = [:]
        for line in lines {
            let words = line.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 3, words[0] == "TICKET" else { continue }
            let code = words[2]
            guard (1...100).contains(code.utf8.count), code.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                continue
            }
            codes[String(words[1])] = String(code)
        }
        return codes
    }
}
