import BoxOfficeCore
import BoxOfficeStore
import KioskProtocol

// MARK: What a kiosk needs to draw a show: its auditorium, its prices, and its seats as they change

extension KioskConversation {
    /// `LAYOUT <show-id>` → `SCREEN <screen-id> <screen-name>`, then `ROW <letters> <places>` per row front to back,
    /// then `OK <n-rows>` | `ERR UNKNOWN_SHOW`.
    func layout(of show: ShowID) async throws(StoreError) -> Response {
        guard let layout = try await services.theatre.layout(of: show) else { return .error(.unknownShow) }
        return .ok(
            String(layout.rows.count),
            data: [Wire.sanitized("SCREEN \(layout.screenID) \(layout.screenName)")]
                + layout.rows.map { "ROW \($0.text)" })
    }

    /// `PRICES <show-id>` → `PRICE <kind> <minor-units>` per kind of seat the show's auditorium has on sale, then
    /// `TYPE <type> <kind> <minor-units> <name>` per ticket type sold for the film and kind (the default type
    /// first), `VAT <basis-points>` when the show states a VAT rate, then `OK <currency>` | `ERR UNKNOWN_SHOW`.
    func prices(of show: ShowID) async throws(StoreError) -> Response {
        guard let found = try await services.theatre.shows([show]).first,
            let layout = try await services.theatre.layout(of: show),
            let sales = try await services.theatre.ticketTypes(of: show)
        else { return .error(.unknownShow) }
        let kinds = Set(layout.rows.flatMap(\.seats).map(\.kind))
        let onSale = SeatKind.allCases.filter { $0.isForSale && kinds.contains($0) }
        let prices = onSale.compactMap { kind in found.prices[kind].map { "PRICE \(kind.rawValue) \($0)" } }
        let types = sales.types.flatMap { type in
            onSale.compactMap { kind in
                type.prices[kind].map { Wire.sanitized("TYPE \(type.id) \(kind.rawValue) \($0) \(type.name)") }
            }
        }
        let vat = sales.vatBasisPoints.map { ["VAT \($0)"] } ?? []
        return .ok(found.prices.currency, data: prices + types + vat)
    }

    /// `WATCH <show-id>` → `OK WATCHING <show-id>` | `ERR UNKNOWN_SHOW`; from then on `EVENT SEATS` lines tell the
    /// connection which seats of the show changed. A new WATCH replaces the last.
    mutating func watch(_ show: ShowID) async throws(StoreError) -> Response {
        if let watch { services.seatWatch.unwatch(watch) }
        watch = nil
        watch = try await services.seatWatch.watch(show, sink: seatEvents)
        return .ok("WATCHING \(show)")
    }

    /// `UNWATCH` → `OK UNWATCHED`; no more seat events.
    mutating func unwatch() -> Response {
        if let watch { services.seatWatch.unwatch(watch) }
        watch = nil
        return .ok("UNWATCHED")
    }

    /// How often BEST chooses again when another kiosk took a chosen seat first.
    static let bestAttempts = 5

    /// `BEST <count> [<kind>] [REPLACE]` → `OK HELD <seats held> EXPIRES <seconds-left>[ SPLIT]`
    /// | `ERR NOT_ENOUGH_SEATS <free>` | `ERR SEAT_LIMIT <max>` | `ERR SESSION_EXPIRED` | `ERR NO_SESSION`
    /// | `ERR SHOW_STARTED` | `ERR SEATS_UNAVAILABLE` (lost every race).
    ///
    /// Chooses the best free group on a fresh reading of the seats, then holds exactly that group with HOLD's
    /// all-or-nothing script; if another kiosk took one of its seats in between, it chooses again. With `replace`
    /// the session's own seats count as free, and one script holds the group and frees the session's other seats
    /// together: on any refusal the seats held stay held.
    mutating func best(_ count: Int, kind: SeatKind?, replace: Bool, in session: OpenSession, policy: SessionPolicy)
        async throws(StoreError) -> Response
    {
        guard (replace ? 0 : session.seats.count) + count <= policy.maxSeats else {
            return .error(.seatLimit, String(policy.maxSeats))
        }
        guard let layout = try await services.theatre.layout(of: session.ref.show) else { return .error(.unknownShow) }
        let kinds: Set<SeatKind> = kind.map { [$0] } ?? [.standard, .premium]
        let choosable: Set<SeatState> = replace ? [.available, .selected] : [.available]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<Self.bestAttempts {
            let seats = try await services.bookings.seatStates(of: session.ref.show, for: session.ref.id)
            let free = Set(seats.filter { choosable.contains($0.state) }.map(\.seat))
            guard let choice = BestSeats(rows: layout.rows).choose(count, free: free, kinds: kinds, using: &random)
            else {
                let freeOfKind = seats.filter { choosable.contains($0.state) && kinds.contains($0.kind) }.count
                return .error(WireError(.notEnoughSeats(free: freeOfKind)))
            }
            do {
                let current = phase.session ?? session
                let response =
                    replace
                    ? try await replaceSelection(with: choice.seats, in: current, policy: policy)
                    : try await hold(choice.seats, in: current, policy: policy)
                guard choice.isSplit, let line = response.final.split(separator: " ", maxSplits: 1).last else {
                    return response
                }
                return .ok(line + " SPLIT")
            } catch StoreError.rejected(.seatsUnavailable) {
                continue
            }
        }
        return .error(.seatsUnavailable)
    }

    /// Makes `seats` the session's whole selection in one step (BEST's REPLACE): `OK HELD <seats> EXPIRES <s>`.
    private mutating func replaceSelection(with seats: [SeatID], in session: OpenSession, policy: SessionPolicy)
        async throws(StoreError) -> Response
    {
        let selection = try await sessionStep(session) { [services] () throws(StoreError) in
            try await services.bookings.replace(
                session.ref, with: seats, believedHeld: session.seats, policy: policy)
        }
        let before = Set(session.seats)
        let after = Set(selection.seats)
        services.statistics.held(seats: after.subtracting(before).count)
        services.statistics.released(seats: before.subtracting(after).count)
        return .ok("HELD \(Self.heldList(selection.seats))EXPIRES \(Self.seconds(selection.millisecondsLeft))")
    }
}
