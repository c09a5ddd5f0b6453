import Dispatch
import Foundation
import Glibc
import KioskUI
import TicketPrint

/// The kiosk's I/O: reads keys (or lines), keeps the connection, ticks the clock, feeds everything to the
/// ``Kiosk`` state machine one input at a time, carries out its actions and draws its state.
final class KioskShell: Sendable {
    /// What reaches the loop.
    private enum Input: Sendable {
        case kiosk(KioskInput)
        /// News from connection `number`.
        case link(Int, KioskInput)
        case linkUp(ServerLink)
        case resized
        case quit
        /// The wait for `QUIT`'s answer is over.
        case quitTimedOut
    }

    private let configuration: KioskConfiguration
    private let plain: Bool
    /// Where tickets are printed, one at a time, off the loop.
    private let printing = DispatchQueue(label: "boxoffice-kiosk.printer")

    /// A shell for a kiosk configured by `configuration`, which connects to the first of its daemons; `plain` for
    /// plain mode.
    init(configuration: KioskConfiguration, plain: Bool) {
        self.configuration = configuration
        self.plain = plain
    }

    func run() async {
        let terminal = Terminal()
        let (inputs, continuation) = AsyncStream<Input>.makeStream()
        if !plain { terminal.enterFullScreen() }
        defer { terminal.restore() }
        startReadingInput(continuation)
        let signals = watchSignals(continuation)
        defer { signals.forEach { $0.cancel() } }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                continuation.yield(.kiosk(.tick))
            }
        }
        defer { ticker.cancel() }

        var kiosk = Kiosk(configuration: configuration, now: Date())
        var links = LinkKeeper(
            news: { continuation.yield(.link($0, $1)) }, up: { continuation.yield(.linkUp($0)) })
        var screen = FrameWriter(terminal: terminal, plain: plain)

        links.dial(kiosk.daemons.current, after: 0)
        screen.draw(kiosk, force: true)
        var iterator = inputs.makeAsyncIterator()
        loop: while let input = await iterator.next() {
            var actions: [KioskAction] = []
            switch input {
            case .kiosk(let kioskInput):
                actions = kiosk.handle(kioskInput, at: Date())
            case .link(let number, let news):
                guard let news = links.accept(news, from: number) else { continue }
                actions = kiosk.handle(news, at: Date())
            case .linkUp(let newLink):
                guard links.adopt(newLink) else { continue }
                actions = kiosk.handle(.connected, at: Date())
            case .resized:
                screen.draw(kiosk, force: true)
                continue
            case .quit:
                break loop
            case .quitTimedOut:
                continue
            }
            for action in actions {
                switch action {
                case .send(let request): links.link?.send(request)
                case .reconnect(let daemon, let delay): links.dial(daemon, after: delay)
                case .print(let receipt): print(receipt, continuation)
                case .quit: break loop
                }
            }
            if plain { terminal.setEcho(!kiosk.wantsSecretInput) }
            screen.draw(kiosk, force: false)
        }
        if let link = links.link {
            // QUIT frees the customer's held seats at once rather than at their deadline; its answer is waited
            // for a second at most.
            link.send(Request(.quit, epoch: kiosk.epoch))
            let timer = Task {
                try? await Task.sleep(for: .seconds(1))
                continuation.yield(.quitTimedOut)
            }
            waiting: while let input = await iterator.next() {
                switch input {
                case .link(let number, .reply(let request, _)) where links.isLatest(number) && request.command == .quit:
                    break waiting
                case .link(let number, .disconnected) where links.isLatest(number):
                    break waiting
                case .quitTimedOut:
                    break waiting
                default:
                    continue
                }
            }
            timer.cancel()
            link.closeSilently()
        }
        if plain { terminal.setEcho(true) }
    }

    /// Prints `receipt` on the configured printer, on a queue of its own (a printer may block for seconds), one
    /// receipt after another; a failure comes back as ``KioskInput/printFailed``.
    private func print(_ receipt: Receipt, _ continuation: AsyncStream<Input>.Continuation) {
        guard let path = configuration.printer else { return }
        printing.async {
            do {
                try ReceiptPrinter(path: path).print(receipt)
            } catch {
                continuation.yield(.kiosk(.printFailed))
            }
        }
    }

    /// Reads standard input on a thread of its own (a blocking read): keys in full-screen mode, lines in plain mode.
    private func startReadingInput(_ continuation: AsyncStream<Input>.Continuation) {
        let plain = self.plain
        let thread = Thread {
            if plain {
                while let line = readLine() { continuation.yield(.kiosk(.line(line))) }
                continuation.yield(.quit)
                return
            }
            var decoder = KeyDecoder()
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    continuation.yield(.quit)
                    return
                }
                for key in decoder.feed(Array(buffer[0..<count])) { continuation.yield(.kiosk(.key(key))) }
            }
        }
        thread.start()
    }

    /// SIGWINCH redraws; SIGTERM, SIGINT and SIGHUP end the kiosk (with a `QUIT`) and restore the terminal.
    private func watchSignals(_ continuation: AsyncStream<Input>.Continuation) -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGWINCH, SIGTERM, SIGINT, SIGHUP] { sigaddset(&unblock, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for (number, input) in [(SIGWINCH, Input.resized), (SIGTERM, .quit), (SIGINT, .quit), (SIGHUP, .quit)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(input) }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}
