import KioskUI
import Testing

/// `--connect`'s list of daemons, and the order and waits in which a kiosk tries them.
@Suite("Daemon addresses and their rotation")
struct DaemonRotationTests {
    static let a = DaemonAddress(host: "10.0.0.5", port: 7420)
    static let b = DaemonAddress(host: "10.0.0.6", port: 7420)
    static let c = DaemonAddress(host: "boxoffice-3.lan", port: 7421)

    // MARK: Parsing

    @Test(
        "--connect takes one HOST:PORT or a comma-separated list, IPv6 in brackets",
        arguments: [
            ("127.0.0.1:7420", [DaemonAddress(host: "127.0.0.1", port: 7420)]),
            ("localhost:1", [DaemonAddress(host: "localhost", port: 1)]),
            ("10.0.0.5:7420,10.0.0.6:7420", [a, b]),
            ("10.0.0.6:7420,10.0.0.5:7420,boxoffice-3.lan:7421", [b, a, c]),
            ("10.0.0.5:7420, 10.0.0.6:7420", [a, b]),
            ("[::1]:7420", [DaemonAddress(host: "::1", port: 7420)]),
            ("[fe80::1%eth0]:65535,10.0.0.5:7420", [DaemonAddress(host: "fe80::1%eth0", port: 65535), a]),
            // As before lists: the port follows the last colon.
            ("::1:7420", [DaemonAddress(host: "::1", port: 7420)]),
        ])
    func parses(text: String, addresses: [DaemonAddress]) throws {
        #expect(try DaemonAddress.list(text) == addresses)
    }

    @Test(
        "A bad element is named in the message",
        arguments: [
            ("", "an address is empty (two commas together, or one at an end)"),
            ("10.0.0.5:7420,,10.0.0.6:7420", "an address is empty (two commas together, or one at an end)"),
            ("10.0.0.5:7420,", "an address is empty (two commas together, or one at an end)"),
            ("10.0.0.5:7420,lobby", "\"lobby\" is not HOST:PORT"),
            ("10.0.0.5:7420,10.0.0.6", "\"10.0.0.6\" is not HOST:PORT"),
            ("10.0.0.5:http", "\"10.0.0.5:http\": no port number after the last colon"),
            ("10.0.0.5:7420,10.0.0.6:0", "\"10.0.0.6:0\": the port must be 1 to 65535"),
            ("10.0.0.5:65536", "\"10.0.0.5:65536\": the port must be 1 to 65535"),
            (":7420", "\":7420\": no host before the port"),
            ("[]:7420", "\"[]:7420\": no host before the port"),
            ("[:7420", "\"[:7420\": unmatched brackets (an IPv6 host is written [::1]:7420)"),
            ("[::1:7420", "\"[::1:7420\": unmatched brackets (an IPv6 host is written [::1]:7420)"),
            ("::1]:7420", "\"::1]:7420\": unmatched brackets (an IPv6 host is written [::1]:7420)"),
            ("lobby host:7420", "\"lobby host:7420\" is not HOST:PORT"),
            ("10.0.0.5:7420,10.0.0.6:7420,10.0.0.5:7420", "10.0.0.5:7420 is named twice"),
            ("[::1]:7420,::1:7420", "[::1]:7420 is named twice"),
        ])
    func refuses(text: String, message: String) {
        #expect(throws: DaemonAddressError(message)) { try DaemonAddress.list(text) }
    }

    @Test("An address is written back as it is given, IPv6 in brackets")
    func description() {
        #expect(Self.a.description == "10.0.0.5:7420")
        #expect(DaemonAddress(host: "::1", port: 7420).description == "[::1]:7420")
    }

    // MARK: Rotation

    /// The daemon tried after each of `count` failures in a row, and the wait before it.
    private func failures(_ count: Int, of rotation: inout DaemonRotation) -> [(DaemonAddress, Double)] {
        (0..<count).map { _ in
            let delay = rotation.failed()
            return (rotation.current, delay)
        }
    }

    @Test("One daemon: the backoff between attempts, 0.5 s doubling to 10 s, as before lists")
    func oneDaemon() {
        var rotation = DaemonRotation([Self.a])
        let tries = failures(7, of: &rotation)
        #expect(tries.map(\.0) == Array(repeating: Self.a, count: 7))
        #expect(tries.map(\.1) == [0.5, 1, 2, 4, 8, 10, 10])
    }

    @Test("Three daemons: round robin, at once until each failed in a row, then the backoff between rounds")
    func threeDaemons() {
        var rotation = DaemonRotation([Self.a, Self.b, Self.c])
        #expect(rotation.current == Self.a)
        let tries = failures(12, of: &rotation)
        #expect(
            tries.map(\.0) == [
                Self.b, Self.c, Self.a, Self.b, Self.c, Self.a, Self.b, Self.c, Self.a, Self.b, Self.c, Self.a,
            ])
        #expect(tries.map(\.1) == [0, 0, 0.5, 0, 0, 1, 0, 0, 2, 0, 0, 4])
    }

    @Test("A daemon that accepts the kiosk starts a new round: the next loss moves on at once, the backoff from 0.5 s")
    func acceptedResets() {
        var rotation = DaemonRotation([Self.a, Self.b])
        _ = failures(5, of: &rotation)
        // After five failures b is next; it fails too, and a accepts the kiosk.
        #expect(rotation.current == Self.b)
        _ = rotation.failed()
        rotation.accepted()
        #expect(rotation.current == Self.a)
        let tries = failures(4, of: &rotation)
        #expect(tries.map(\.0) == [Self.b, Self.a, Self.b, Self.a])
        #expect(tries.map(\.1) == [0, 0.5, 0, 1])
    }

    @Test("Accepted part-way through a round: the daemons that failed before it are not counted")
    func acceptedMidRound() {
        var rotation = DaemonRotation([Self.a, Self.b, Self.c])
        _ = rotation.failed()
        rotation.accepted()
        #expect(rotation.current == Self.b)
        let tries = failures(3, of: &rotation)
        #expect(tries.map(\.0) == [Self.c, Self.a, Self.b])
        #expect(tries.map(\.1) == [0, 0, 0.5])
    }
}
