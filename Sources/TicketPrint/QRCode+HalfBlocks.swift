// MARK: Drawing in a terminal

extension QRCode {
    /// The characters of ``halfBlockLines()``: each text cell shows two modules, one above the other.
    public static let halfBlocks: Set<Character> = [" ", "▀", "▄", "█"]

    /// The symbol with its quiet zone as lines of Unicode half blocks, two module rows per line: the *light*
    /// modules are the ink (`█` both light, `▀` only the upper, `▄` only the lower, a space neither).
    ///
    /// Light ink is what scans on a terminal with a dark background, where ink is light and the background dark.
    /// So that it scans on a light background too, draw these lines in light ink on a dark background explicitly
    /// (``terminalColours``); the quiet zone, drawn as ink, then surrounds the symbol with light in both themes.
    /// The module count on a side is odd: the last line's lower half lies beyond the quiet zone, and is light too.
    public func halfBlockLines() -> [String] {
        stride(from: 0, to: size, by: 2).map { row in
            String(
                (0..<size).map { column -> Character in
                    let upper = !isDark(row: row, column: column)
                    let lower = !isDark(row: row + 1, column: column)
                    switch (upper, lower) {
                    case (true, true): return "█"
                    case (true, false): return "▀"
                    case (false, true): return "▄"
                    case (false, false): return " "
                    }
                })
        }
    }

    /// The escape sequence that sets light ink on a dark background for ``halfBlockLines()``: white (256-colour
    /// 231) on black (16), two colours of the fixed 6x6x6 cube that terminal themes leave alone. `ESC [ 0 m`
    /// ends it.
    public static let terminalColours = "\u{1B}[38;5;231;48;5;16m"
}
