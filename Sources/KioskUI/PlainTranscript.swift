/// What plain mode (`--plain`) writes as the kiosk changes: the screen's text when it changed, and each new notice
/// once. When a customer is forgotten (idle reset, logout) it first writes a separator and blank lines, so that
/// the previous customer's words scroll off the screen; plain mode writes no escape sequences, so it cannot clear
/// the screen.
public struct PlainTranscript: Sendable {
    /// The blank lines written after the separator when a customer is forgotten.
    public static let blankLinesAfterReset = 40
    /// The separator written when a customer is forgotten.
    public static let separator =
        String(repeating: "-", count: 30) + " next customer " + String(repeating: "-", count: 30)

    private var last: [String] = []
    private var lastNotice: Notice?
    private var resets: Int?

    /// A transcript that has written nothing yet.
    public init() {}

    /// The lines to write for `kiosk`'s state: nothing when nothing changed since the last call.
    public mutating func lines(for kiosk: Kiosk) -> [String] {
        var output: [String] = []
        if let notice = kiosk.notice, notice != lastNotice { output.append(notice.text) }
        lastNotice = kiosk.notice
        if let resets, kiosk.resets != resets {
            output.append(Self.separator)
            output += Array(repeating: "", count: Self.blankLinesAfterReset)
            last = []
        }
        resets = kiosk.resets
        let text = PlainRenderer().text(kiosk)
        if text != last { output += text }
        last = text
        return output
    }
}
