import BoxOfficeCore
import NIOCore
import Synchronization

/// Who is connected, and who must make room: connections that have identified their kiosk count against
/// ``KioskServer/Limits/maxConnections``; connections that have not yet count against a much lower limit, in all
/// and per source address, and the oldest of them are shed to make room for a new one: the oldest of the new
/// one's address when that address is at its limit, else the oldest of the address with the most unidentified
/// connections. So a flood of anonymous sockets costs the attacker its own oldest sockets, never an identified
/// kiosk's place nor, unless it floods from more addresses than there are places, a kiosk's connection that is
/// about to identify; and the daemon's descriptors stay within a bound it can check at start-up. Identified
/// connections of one kiosk are limited too (its profile's `max_connections`): a new one closes that kiosk's
/// oldest, so a stolen secret costs its own kiosk its places, never the other kiosks theirs.
final class ConnectionRegistry: Sendable {
    /// What became of a new connection.
    enum Admission {
        /// Served, as the ticket's holder; the channels listed must be closed to make room (oldest unidentified).
        case admitted(ConnectionTicket, shed: [any Channel])
        /// Every place for an identified kiosk is taken, or the process is out of descriptors: it must be turned
        /// away at once.
        case full
    }

    private struct Unidentified {
        let id: UInt64
        let address: String
        let channel: any Channel
    }

    private struct Identified {
        let id: UInt64
        let channel: any Channel
    }

    private struct State {
        var nextID: UInt64 = 0
        /// Each kiosk's identified connections, oldest first.
        var identified: [KioskID: [Identified]] = [:]
        /// The kiosk of each identified connection.
        var kioskOf: [UInt64: KioskID] = [:]
        var identifiedCount = 0
        /// In the order they connected, oldest first. Short (at most the unidentified limit plus one).
        var unidentified: [Unidentified] = []
    }

    private let limits: KioskServer.Limits
    private let state = Mutex(State())
    /// True while the process is out of descriptors (the ``DescriptorReserve`` is spent): every new connection is
    /// turned away at once, so that its descriptor comes free again.
    private let outOfDescriptors = Atomic<Bool>(false)

    /// Creates an empty registry enforcing `limits`.
    init(limits: KioskServer.Limits) {
        self.limits = limits
    }

    /// Counts a new connection from `address` as unidentified, shedding the oldest unidentified connection of the
    /// same address, or else of the address with the most, when a limit would be passed.
    func admit(_ channel: any Channel, from address: String) -> Admission {
        if outOfDescriptors.load(ordering: .relaxed) { return .full }
        return state.withLock { state in
            guard state.identifiedCount < limits.maxConnections else { return .full }
            var shed: [any Channel] = []
            let sameAddress = state.unidentified.indices.filter { state.unidentified[$0].address == address }
            if sameAddress.count >= limits.maxUnidentifiedPerAddress, let oldest = sameAddress.first {
                shed.append(state.unidentified.remove(at: oldest).channel)
            } else if state.unidentified.count >= limits.maxUnidentified {
                var counts: [String: Int] = [:]
                for connection in state.unidentified { counts[connection.address, default: 0] += 1 }
                let busiest = counts.max { $0.value < $1.value }?.value ?? 0
                let oldest = state.unidentified.firstIndex { counts[$0.address] == busiest } ?? 0
                shed.append(state.unidentified.remove(at: oldest).channel)
            }
            state.nextID += 1
            state.unidentified.append(Unidentified(id: state.nextID, address: address, channel: channel))
            return .admitted(ConnectionTicket(registry: self, id: state.nextID), shed: shed)
        }
    }

    /// Moves a connection from unidentified to identified, as one of `kiosk`'s; when the kiosk already has `limit`
    /// connections, its oldest is closed to make room.
    /// - Returns: false when every place for an identified kiosk is taken (the connection stays unidentified), or
    ///   when the connection was already shed.
    fileprivate func identify(_ id: UInt64, as kiosk: KioskID, limit: Int) -> Bool {
        let (identified, shed): (Bool, (any Channel)?) = state.withLock { state in
            guard let position = state.unidentified.firstIndex(where: { $0.id == id }) else { return (false, nil) }
            var shed: (any Channel)?
            if let own = state.identified[kiosk], own.count >= limit, let oldest = own.first {
                state.identified[kiosk]?.removeFirst()
                state.kioskOf[oldest.id] = nil
                state.identifiedCount -= 1
                shed = oldest.channel
            }
            guard state.identifiedCount < limits.maxConnections else { return (false, shed) }
            let connection = state.unidentified.remove(at: position)
            state.identified[kiosk, default: []].append(Identified(id: id, channel: connection.channel))
            state.kioskOf[id] = kiosk
            state.identifiedCount += 1
            return (true, shed)
        }
        shed?.close(promise: nil)
        return identified
    }

    /// Forgets a connection that has ended.
    fileprivate func leave(_ id: UInt64) {
        state.withLock { state in
            guard let kiosk = state.kioskOf.removeValue(forKey: id) else {
                state.unidentified.removeAll { $0.id == id }
                return
            }
            state.identified[kiosk]?.removeAll { $0.id == id }
            if state.identified[kiosk]?.isEmpty == true { state.identified[kiosk] = nil }
            state.identifiedCount -= 1
        }
    }

    /// Records whether the process is out of descriptors; while it is, every new connection is turned away.
    func setOutOfDescriptors(_ value: Bool) {
        outOfDescriptors.store(value, ordering: .relaxed)
    }

}

/// One connection's place in the ``ConnectionRegistry``: unidentified until ``identify()`` succeeds, given back
/// by ``leave()`` when the connection ends.
struct ConnectionTicket: Sendable {
    fileprivate let registry: ConnectionRegistry
    fileprivate let id: UInt64

    /// Counts the connection as one of `kiosk`'s, closing the kiosk's oldest if it already has `limit`.
    /// - Returns: false when every place for an identified kiosk is taken, or the connection was shed meanwhile.
    func identify(as kiosk: KioskID, limit: Int) -> Bool { registry.identify(id, as: kiosk, limit: limit) }

    /// Gives the connection's place back; call once, when it has ended.
    func leave() { registry.leave(id) }
}
