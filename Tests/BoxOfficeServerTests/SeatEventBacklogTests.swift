import Testing

@testable import BoxOfficeServer

@Suite("A slow kiosk's seat events: at most 1,000 wait, later ones fold into each seat's latest state")
struct SeatEventBacklogTests {
    @Test("Past the limit events fold; once every waiting line is taken, the latest states follow, in order")
    func folds() {
        let backlog = SeatEventBacklog()
        for index in 0..<SeatEventBacklog.limit {
            #expect(backlog.admit("EVENT SEATS 7 A\(index % 50 + 1)=TEMPORARILY_UNAVAILABLE"))
        }
        #expect(!backlog.admit("EVENT SEATS 7 B1=TEMPORARILY_UNAVAILABLE B2=TEMPORARILY_UNAVAILABLE"))
        #expect(!backlog.admit("EVENT SEATS 7 B1=AVAILABLE C3=PERMANENTLY_UNAVAILABLE"))
        #expect(!backlog.admit("EVENT LAYOUT 7"))
        for _ in 1..<SeatEventBacklog.limit {
            #expect(backlog.took().isEmpty, "nothing jumps ahead of a line that waits")
        }
        #expect(!backlog.admit("EVENT SEATS 7 B2=AVAILABLE"), "still folding while lines wait")
        #expect(
            backlog.took() == [
                "EVENT SEATS 7 B1=AVAILABLE B2=AVAILABLE C3=PERMANENTLY_UNAVAILABLE", "EVENT LAYOUT 7",
            ])
        #expect(backlog.admit("EVENT SEATS 7 D4=AVAILABLE"), "once drained, events go straight to the loop again")
        #expect(backlog.took().isEmpty)
    }

    @Test("Folded changes come 64 seats a line, like the watch's own events")
    func longFold() {
        let backlog = SeatEventBacklog()
        for _ in 0..<SeatEventBacklog.limit { _ = backlog.admit("EVENT SEATS 9 A1=AVAILABLE") }
        let seats = (1...100).map { "B\($0)=TEMPORARILY_UNAVAILABLE" }
        #expect(!backlog.admit("EVENT SEATS 9 " + seats.joined(separator: " ")))
        for _ in 1..<SeatEventBacklog.limit { _ = backlog.took() }
        let lines = backlog.took()
        #expect(lines.count == 2)
        #expect(lines.map { $0.split(separator: " ").count - 3 } == [64, 36])
    }
}
