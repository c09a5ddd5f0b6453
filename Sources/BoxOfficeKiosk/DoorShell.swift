import Dispatch
import Foundation
import Glibc
import KioskUI

/// The door scanner's I/O (`--door`): reads scanned codes a line at a time (a barcode scanner types the code and
/// Enter), keeps the connection, ticks the clock, feeds everything to the ``DoorScanner`` and draws its verdict in
/// big words: on a green ground for ADMIT, on a red one for STOP.
final class DoorShell: Sendable {
    /// What reaches the loop.
    private enum Input: Sendable {
        case scanner(KioskInput)
        /// News from connection `number`.
        case link(Int, KioskInput)
        case linkUp(ServerLink)
        case quit
    }

    private let configuration: KioskConfiguration

    /// A shell for the door configured by `configuration`.
    init(configuration: KioskConfiguration) {
        self.configuration = configuration
    }

    func run() async {
        let terminal = Terminal()
        let (inputs, continuation) = AsyncStream<Input>.makeStream()
        let reader = Thread {
            while let line = readLine() { continuation.yield(.scanner(.line(line))) }
            continuation.yield(.quit)
        }
        reader.start()
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                continuation.yield(.scanner(.tick))
            }
        }
        defer { ticker.cancel() }
        var scanner = DoorScanner(configuration: configuration)
        var links = LinkKeeper(
            news: { continuation.yield(.link($0, $1)) }, up: { continuation.yield(.linkUp($0)) })

        links.dial(configuration.daemons[0], after: 0)
        var drawn = draw(scanner, on: terminal, over: nil)
        loop: for await input in inputs {
            var actions: [KioskAction] = []
            switch input {
            case .scanner(let scanned): actions = scanner.handle(scanned, at: Date())
            case .link(let number, let news):
                guard let news = links.accept(news, from: number) else { continue }
                actions = scanner.handle(news, at: Date())
            case .linkUp(let newLink):
                guard links.adopt(newLink) else { continue }
                actions = scanner.handle(.connected, at: Date())
            case .quit: break loop
            }
            for action in actions {
                switch action {
                case .send(let request): links.link?.send(request)
                case .reconnect(let daemon, let delay): links.dial(daemon, after: delay)
                case .quit: break loop
                case .print: break  // a door prints nothing
                }
            }
            // A tick redraws only what changed; anything else redraws all (a scan's echo is wiped).
            var ticked = false
            if case .scanner(.tick) = input { ticked = true }
            drawn = draw(scanner, on: terminal, over: ticked ? drawn : nil)
        }
        links.link?.closeSilently()
    }

    /// Clears the screen and draws the scanner's frame, the big word's rows on green (ADMIT) or red (STOP), unless
    /// that is what the screen shows already (`shown`, what the last call drew).
    /// - Returns: what the screen shows now.
    private func draw(_ scanner: DoorScanner, on terminal: Terminal, over shown: String?) -> String {
        let size = terminal.size
        let frame = DoorRenderer(width: size.width, height: size.height).frame(scanner)
        let colour =
            switch scanner.verdict {
            case .admitted: "\u{1B}[1;97;42m"
            case .refused: "\u{1B}[1;97;41m"
            case nil: "\u{1B}[1m"
            }
        var output = "\u{1B}[2J\u{1B}[H"
        for (index, line) in frame.enumerated() {
            let padded = line.padding(toLength: max(size.width, 1), withPad: " ", startingAt: 0)
            output += (2...6).contains(index) ? colour + padded + "\u{1B}[0m" : line
            output += index == frame.count - 1 ? "" : "\r\n"
        }
        if output != shown { terminal.write(output) }
        return output
    }
}
