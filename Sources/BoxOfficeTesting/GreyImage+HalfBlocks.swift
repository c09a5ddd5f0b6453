// MARK: Half blocks, drawn as a terminal draws them

extension GreyImage {
    /// Draws `lines` of Unicode half blocks as a terminal does: each character cell is one module wide and two
    /// high; its ink (`ink`) fills the halves the character covers (`█` both, `▀` the upper, `▄` the lower), the
    /// cell's background (`paper`) the rest, and any other character is all paper. Around the lines lies the
    /// terminal's own background, `surround`, `margin` modules wide.
    /// - Parameters:
    ///   - scale: pixels on a side for each module.
    public init(
        halfBlocks lines: [String], ink: UInt8, paper: UInt8, surround: UInt8, scale: Int = 8, margin: Int = 6
    ) {
        let border = margin * scale
        let columns = lines.map(\.count).max() ?? 0
        self.init(
            width: columns * scale + 2 * border, height: lines.count * 2 * scale + 2 * border, filledWith: surround)
        for (row, line) in lines.enumerated() {
            for (column, character) in line.enumerated() {
                let (upper, lower): (Bool, Bool)
                switch character {
                case "█": (upper, lower) = (true, true)
                case "▀": (upper, lower) = (true, false)
                case "▄": (upper, lower) = (false, true)
                default: (upper, lower) = (false, false)
                }
                let x = border + column * scale
                let y = border + row * 2 * scale
                fill(x: x, y: y, width: scale, height: scale, grey: upper ? ink : paper)
                fill(x: x, y: y + scale, width: scale, height: scale, grey: lower ? ink : paper)
            }
        }
    }
}
