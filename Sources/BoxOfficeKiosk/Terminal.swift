import Glibc

/// The terminal the kiosk draws on: raw mode (no echo, no line buffering, no signals from keys) and the alternate
/// screen while the kiosk runs, restored on exit, and on a crash too (see ``TerminalRescue``).
final class Terminal: Sendable {
    /// The terminal's size in columns and rows (80 by 24 when it cannot be asked).
    var size: (width: Int, height: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return (80, 24)
        }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Raw mode (when standard input is a terminal), the alternate screen, the cursor hidden. Each is undone by
    /// ``restore()`` on its own: standard output may be a terminal while standard input is not.
    func enterFullScreen() {
        TerminalRescue.install()
        var attributes = termios()
        if tcgetattr(STDIN_FILENO, &attributes) == 0 {
            TerminalRescue.saved = attributes
            TerminalRescue.hasSaved = true
            cfmakeraw(&attributes)
            attributes.c_oflag |= tcflag_t(OPOST | ONLCR)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &attributes)
        }
        // Marked before it is written: a crash in between still leaves the alternate screen.
        TerminalRescue.inAlternateScreen = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    /// Echo off or on, for plain mode's password prompt.
    func setEcho(_ on: Bool) {
        var attributes = termios()
        guard tcgetattr(STDIN_FILENO, &attributes) == 0 else { return }
        if on { attributes.c_lflag |= tcflag_t(ECHO) } else { attributes.c_lflag &= ~tcflag_t(ECHO) }
        tcsetattr(STDIN_FILENO, TCSANOW, &attributes)
    }

    /// The terminal as it was.
    func restore() {
        TerminalRescue.restore()
    }

    /// Writes text to standard output, all of it.
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { TerminalRescue.writeAll($0.baseAddress, $0.count) }
    }
}
