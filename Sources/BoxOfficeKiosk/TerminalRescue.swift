import Glibc

/// What it takes to give the terminal back, kept in static storage that a signal handler can read: the saved
/// terminal attributes and whether the alternate screen is on. ``install()`` sets handlers for the signals of a
/// crash (SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT) that restore the terminal with async-signal-safe calls only
/// (write(2), tcsetattr(3)), then let the signal take its course: a fault goes on to the action it had before (the
/// default, or the Swift runtime's crash reporter, which then prints its report on the normal screen); a signal
/// sent by kill(2), raise(3) or abort(3) is raised again with the default action.
enum TerminalRescue {
    // nonisolated(unsafe): written on the main task before and after the kiosk runs, and read by the crash
    // handlers, which only run when the process is going down; the flags are plain words, read and written whole.
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var hasSaved = false
    nonisolated(unsafe) static var inAlternateScreen = false
    /// The actions the crash signals had before ``install()``, indexed by signal number; allocated once.
    nonisolated(unsafe) static var previous: UnsafeMutablePointer<sigaction>?

    static let crashSignals = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT]

    /// Installs the crash handlers, once. Touches every static first, so that the handlers never run a lazy
    /// initialiser.
    static func install() {
        guard previous == nil else { return }
        _ = (saved, hasSaved, inAlternateScreen)
        // The crash signals are all below 32 on Linux.
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 32)
        actions.initialize(repeating: sigaction(), count: 32)
        previous = actions
        for number in crashSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { number, info, _ in
                TerminalRescue.restore()
                if let info, info.pointee.si_code > 0, let previous = TerminalRescue.previous {
                    // A fault the kernel raised: with the previous action back, returning runs the faulting
                    // instruction again, and the previous action (the default, or the Swift runtime's crash
                    // reporter) gets the fault as it was.
                    sigaction(number, previous + Int(number), nil)
                    return
                }
                // Sent by kill(2) or raise(3) (abort(3) too): the default action, at once.
                signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            sigaction(number, &action, actions + Int(number))
        }
    }

    /// Leaves the alternate screen and puts the saved attributes back, each only if it was changed; safe in a
    /// signal handler.
    static func restore() {
        if inAlternateScreen {
            inAlternateScreen = false
            let sequence: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
            writeAll(UnsafeRawPointer(sequence.utf8Start), sequence.utf8CodeUnitCount)
        }
        if hasSaved {
            hasSaved = false
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        }
    }

    /// Writes `count` bytes at `bytes` to standard output with write(2), retrying after EINTR; safe in a signal
    /// handler.
    static func writeAll(_ bytes: UnsafeRawPointer?, _ count: Int) {
        guard let bytes else { return }
        var offset = 0
        while offset < count {
            let written = Glibc.write(STDOUT_FILENO, bytes + offset, count - offset)
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
