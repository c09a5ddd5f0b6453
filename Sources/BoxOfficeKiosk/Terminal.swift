import Glibc

/// The terminal the kiosk draws on: raw mode (no echo, no line buffering, no signals from keys) and the alternate
/// screen while the kiosk runs, restored on exit.
final class Terminal: @unchecked Sendable {
    // @unchecked Sendable: `saved` is written once in `enterFullScreen` and read in `restore`, both on the main
    // task; `write` only calls the thread-safe write(2).
    private var saved: termios?

    /// The terminal's size in columns and rows (80 by 24 when it cannot be asked).
    var size: (width: Int, height: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return (80, 24)
        }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Raw mode, the alternate screen, the cursor hidden.
    func enterFullScreen() {
        var attributes = termios()
        if tcgetattr(STDIN_FILENO, &attributes) == 0 {
            saved = attributes
            cfmakeraw(&attributes)
            attributes.c_oflag |= tcflag_t(OPOST | ONLCR)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &attributes)
        }
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
        if var saved {
            write("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            self.saved = nil
        }
    }

    /// Writes text to standard output, all of it.
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
