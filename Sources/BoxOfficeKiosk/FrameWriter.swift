import KioskUI
import TicketPrint

/// Draws frames: in full-screen mode only the lines that changed since the last frame (everything after a
/// resize); in plain mode the screen's text when it changed, and each new notice once.
struct FrameWriter {
    let terminal: Terminal
    let plain: Bool
    private var last: [String] = []
    private var lastSize = (width: 0, height: 0)
    private var transcript = PlainTranscript()

    /// A writer that has drawn nothing yet.
    init(terminal: Terminal, plain: Bool) {
        self.terminal = terminal
        self.plain = plain
    }

    /// Draws `kiosk`; `force` redraws the whole screen (full-screen mode).
    mutating func draw(_ kiosk: Kiosk, force: Bool) {
        plain ? drawPlain(kiosk) : drawFull(kiosk, force: force)
    }

    private mutating func drawFull(_ kiosk: Kiosk, force: Bool) {
        let size = terminal.size
        let frame = ScreenRenderer(width: size.width, height: size.height).frame(kiosk)
        var output = ""
        if force || size != lastSize {
            output += "\u{1B}[2J"
            last = []
        }
        for (index, line) in frame.enumerated() where index >= last.count || last[index] != line {
            output += "\u{1B}[\(index + 1);1H"
            let warning = kiosk.shownNotice?.isWarning == true && line.hasPrefix("! ")
            if index == 0 || warning {
                output += "\u{1B}[7m\(line)\u{1B}[0m"
            } else if let columns = ScreenRenderer.qrColumns(in: line) {
                // A QR code in light ink on dark, whatever the terminal's colours: it scans in dark and light themes.
                let characters = Array(line)
                output +=
                    String(characters[..<columns.lowerBound]) + QRCode.terminalColours
                    + String(characters[columns]) + "\u{1B}[0m" + String(characters[columns.upperBound...])
            } else {
                output += line
            }
        }
        if !output.isEmpty { terminal.write(output) }
        last = frame
        lastSize = size
    }

    private mutating func drawPlain(_ kiosk: Kiosk) {
        let output = transcript.lines(for: kiosk)
        if !output.isEmpty { terminal.write(output.joined(separator: "\n") + "\n") }
    }
}
