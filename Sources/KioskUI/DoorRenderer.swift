import Foundation

/// Draws a ``DoorScanner``: the verdict in big block letters (ADMIT, STOP, or SCAN while waiting), the details
/// below it, and the connection's state at the bottom.
public struct DoorRenderer {
    /// The terminal's size.
    public let width: Int
    public let height: Int

    /// A renderer for a terminal of `width` by `height`.
    public init(width: Int, height: Int) {
        self.width = max(width, 40)
        self.height = max(height, 12)
    }

    /// The big word the scanner shows now.
    public static func word(_ scanner: DoorScanner) -> String {
        switch scanner.verdict {
        case .admitted: "ADMIT"
        case .refused: "STOP"
        case nil: "SCAN"
        }
    }

    /// The screen's lines, `height` of them.
    public func frame(_ scanner: DoorScanner) -> [String] {
        var lines = ["Door \(scanner.configuration.kioskID)", ""]
        lines += BlockLetters.lines(Self.word(scanner)).map(centered)
        lines.append("")
        switch scanner.verdict {
        case .admitted(let booking, let show, let screen, let start, let user, let seats):
            let when = start.map {
                DateFormats.string(from: $0, pattern: "HH:mm", timeZone: scanner.configuration.timeZone)
            }
            lines.append(centered(user))
            lines.append(centered("Seats \(seats.joined(separator: " "))"))
            lines.append(centered("Show \(show), screen \(screen)" + (when.map { ", \($0)" } ?? "") + "  (\(booking))"))
        case .refused(let words):
            lines += wrap(words, width: width - 4).map(centered)
        case nil:
            lines.append(centered("Scan a ticket."))
        }
        while lines.count < height - 1 { lines.append("") }
        return Array(lines.prefix(height - 1)) + [Self.status(scanner)]
    }

    /// The bottom line: whether the door can scan now.
    static func status(_ scanner: DoorScanner) -> String {
        if scanner.misconfigured {
            return "The box office refuses this door: staff must check its id, secret and profile."
        }
        switch scanner.link {
        case .ready: return scanner.scanning == nil ? "Ready: scan the next ticket." : "Checking..."
        case .identifying, .connecting: return "Connecting to the box office..."
        }
    }

    private func centered(_ text: String) -> String {
        let pad = max((width - text.count) / 2, 0)
        return String(repeating: " ", count: pad) + text
    }
}

/// A five-row block font for the door's big words.
enum BlockLetters {
    private static let glyphs: [Character: [String]] = [
        "A": [" ### ", "#   #", "#####", "#   #", "#   #"],
        "C": [" ####", "#    ", "#    ", "#    ", " ####"],
        "D": ["#### ", "#   #", "#   #", "#   #", "#### "],
        "I": ["#####", "  #  ", "  #  ", "  #  ", "#####"],
        "M": ["#   #", "## ##", "# # #", "#   #", "#   #"],
        "N": ["#   #", "##  #", "# # #", "#  ##", "#   #"],
        "O": [" ### ", "#   #", "#   #", "#   #", " ### "],
        "P": ["#### ", "#   #", "#### ", "#    ", "#    "],
        "S": [" ####", "#    ", " ### ", "    #", "#### "],
        "T": ["#####", "  #  ", "  #  ", "  #  ", "  #  "],
    ]

    /// `word` (of the letters above) in five rows of full blocks, two columns a pixel, a space between letters.
    static func lines(_ word: String) -> [String] {
        (0..<5).map { row in
            word.compactMap { glyphs[$0]?[row] }
                .map { String($0.flatMap { $0 == "#" ? "██" : "  " }) }
                .joined(separator: "  ")
        }
    }
}
