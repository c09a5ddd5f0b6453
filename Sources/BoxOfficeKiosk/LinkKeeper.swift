import KioskUI

/// A shell's connection to the box office, kept by its loop: the link in use, and the number of the latest
/// attempt, so that news from a connection given up is dropped. The kiosk's shell and the door's keep one each.
struct LinkKeeper {
    /// The connection in use; nil while connecting, or after it was lost.
    private(set) var link: ServerLink?
    private var latest = 0
    private let news: @Sendable (Int, KioskInput) -> Void
    private let up: @Sendable (ServerLink) -> Void

    /// A keeper that hands each connection's news (`news`, with its number) and each connection made (`up`) to the
    /// shell's loop, which passes them back through ``accept(_:from:)`` and ``adopt(_:)``.
    init(news: @escaping @Sendable (Int, KioskInput) -> Void, up: @escaping @Sendable (ServerLink) -> Void) {
        self.news = news
        self.up = up
    }

    /// Closes the connection in use, if any, and connects to `daemon` after `delay` seconds.
    mutating func dial(_ daemon: DaemonAddress, after delay: Double) {
        link?.closeSilently()
        link = nil
        latest += 1
        let (number, news, up) = (latest, news, up)
        Task {
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            do {
                up(try await ServerLink.connect(host: daemon.host, port: daemon.port, number: number, deliver: news))
            } catch {
                news(number, .disconnected)
            }
        }
    }

    /// True when `number` is the latest attempt's.
    func isLatest(_ number: Int) -> Bool { number == latest }

    /// News from connection `number`, for the state machine; nil when that connection was given up. A
    /// disconnection forgets the link.
    mutating func accept(_ input: KioskInput, from number: Int) -> KioskInput? {
        guard isLatest(number) else { return nil }
        if case .disconnected = input { link = nil }
        return input
    }

    /// Takes `newLink` into use if it is the latest attempt's (and closes it otherwise); true when taken.
    mutating func adopt(_ newLink: ServerLink) -> Bool {
        guard isLatest(newLink.number) else {
            newLink.closeSilently()
            return false
        }
        link = newLink
        return true
    }
}
