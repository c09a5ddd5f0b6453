// MARK: TICKET lines: `TICKET <booking-id> <ticket-code>`, before `OK BOOKED` and after each `BOOKING`

extension Booking {
    /// The ticket code that a `TICKET <booking-id> <ticket-code>` line among `data` gives booking `id`; nil when
    /// none does, or the code is not 1 to 100 printable ASCII characters.
    static func ticketCode(for id: String, in data: [String]) -> String? {
        for line in data {
            let words = line.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 3, words[0] == "TICKET", words[1] == id else { continue }
            let code = words[2]
            guard (1...100).contains(code.utf8.count), code.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                return nil
            }
            return String(code)
        }
        return nil
    }

    /// The bookings of a `BOOKINGS` reply's data, each with the ticket code of its `TICKET` line.
    static func list(from data: [String]) -> [Booking] {
        data.compactMap { line in
            guard var booking = Booking(line: line) else { return nil }
            booking.ticketCode = ticketCode(for: booking.id, in: data)
            return booking
        }
    }
}
