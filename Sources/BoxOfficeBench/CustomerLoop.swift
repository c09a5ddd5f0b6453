import BoxOfficeCore
import NIOCore
import Synchronization

/// One simulated customer at one kiosk connection, in a loop until the deadline: START a show, SEATS, HOLD a group
/// of 1 to 6 adjacent free seats (often among the hot seats), then PAY (some declined, then CLOSE) or CLOSE.
/// Conflicts (`SEATS_UNAVAILABLE`) are expected and counted; any other refusal is an error.
///
/// The flash-sale mix; the holds and seats mixes are plans for the load generator (`LoadPlan+Mixes.swift`).
struct CustomerLoop {
    /// What each simulated customer does.
    enum Mix: String, Sendable {
        /// This loop.
        case flashSale = "flash-sale"
        /// ``LoadPlan/kioskHolds(login:shows:)``.
        case holds
        /// ``LoadPlan/kioskSeats(login:shows:)``.
        case seats
    }

    let client: BenchKiosk
    let shows: [String]
    let hotSeats: Set<String>
    let payRate: Double
    let declineRate: Double
    let counters: LiveCounters

    func run(until deadline: ContinuousClock.Instant) async -> BenchRecorder {
        var recorder = BenchRecorder()
        let clock = ContinuousClock()
        while clock.now < deadline {
            do {
                try await oneCustomer(&recorder)
            } catch {
                recorder.errors["connection: \(error)", default: 0] += 1
                counters.errors.add(1, ordering: .relaxed)
                return recorder
            }
        }
        return recorder
    }

    private func timed(_ command: BenchCommand, _ line: String, _ recorder: inout BenchRecorder) async throws
        -> BenchKiosk.Reply
    {
        let clock = ContinuousClock()
        let started = clock.now
        let reply = try await client.send(line)
        let elapsed = clock.now - started
        let (seconds, attoseconds) = elapsed.components
        recorder.record(command, microseconds: UInt64(max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)))
        counters.operations.add(1, ordering: .relaxed)
        return reply
    }

    private func error(_ reply: BenchKiosk.Reply, _ recorder: inout BenchRecorder) {
        let code = reply.final.split(separator: " ").prefix(2).joined(separator: " ")
        recorder.errors[code, default: 0] += 1
        counters.errors.add(1, ordering: .relaxed)
    }

    private func oneCustomer(_ recorder: inout BenchRecorder) async throws {
        let show = shows.randomElement()!
        let started = try await timed(.start, "START \(show)", &recorder)
        guard started.isOK else { return error(started, &recorder) }

        var held: [String] = []
        for _ in 0..<3 where held.isEmpty {
            let seats = try await timed(.seats, "SEATS", &recorder)
            guard seats.isOK else { return error(seats, &recorder) }
            guard
                let group = chooseGroup(from: seats, amongHot: Bool.random())
                    ?? chooseGroup(from: seats, amongHot: false)
            else { break }
            let hold = try await timed(.hold, "HOLD " + group.joined(separator: " "), &recorder)
            if hold.isOK {
                held = group
            } else if hold.final.hasPrefix("ERR SEATS_UNAVAILABLE") {
                recorder.holdConflicts += 1
                counters.conflicts.add(1, ordering: .relaxed)
            } else {
                error(hold, &recorder)
            }
        }

        if !held.isEmpty && Double.random(in: 0..<1) < payRate {
            let declined = Double.random(in: 0..<1) < declineRate
            let paid = try await timed(.pay, declined ? "PAY tok_chargeDeclined" : "PAY tok_visa", &recorder)
            if paid.final.hasPrefix("OK BOOKED ") {
                let words = paid.final.split(separator: " ").map(String.init)
                recorder.bookings += 1
                recorder.seatsSold += words.count - 4
                recorder.confirmed.append((words[2], words[3], Array(words.dropFirst(4))))
                return
            } else if paid.final.hasPrefix("ERR PAYMENT_FAILED") {
                recorder.declines += 1
            } else {
                error(paid, &recorder)
            }
        }
        let closed = try await timed(.close, "CLOSE", &recorder)
        if !closed.isOK { error(closed, &recorder) }
    }

    /// A group of 1 to 6 adjacent available seats in one row, among the hot seats if asked, from a SEATS reply's
    /// `SEAT <seat-id> <state> <kind>` lines (read as bytes: only available seats become strings).
    private func chooseGroup(from reply: BenchKiosk.Reply, amongHot: Bool) -> [String]? {
        var rows: [Substring: [(number: Int, id: String)]] = [:]
        reply.forEachLine { line in
            // SEAT <seat-id> AVAILABLE <kind>
            guard line.starts(with: "SEAT ".utf8), let idEnd = line[5...].firstIndex(of: UInt8(ascii: " ")),
                line[(idEnd + 1)...].starts(with: "AVAILABLE ".utf8)
            else { return }
            let id = String(decoding: line[5..<idEnd], as: UTF8.self)
            if amongHot && !hotSeats.contains(id) { return }
            let row = id.prefix { $0.isLetter }
            guard let number = Int(id.dropFirst(row.count)) else { return }
            rows[row, default: []].append((number, id))
        }
        guard let (_, seats) = rows.randomElement() else { return nil }
        let size = Int.random(in: 1...6)
        let start = Int.random(in: 0..<seats.count)
        var group = [seats[start].id]
        var index = start + 1
        while group.count < size, index < seats.count, seats[index].number == seats[index - 1].number + 1 {
            group.append(seats[index].id)
            index += 1
        }
        return group
    }
}
