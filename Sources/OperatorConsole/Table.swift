/// A table of text for a terminal: a header row and aligned columns, numbers right-aligned.
struct Table {
    /// How a column's cells line up.
    enum Alignment {
        case left, right
    }

    private let headers: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []

    /// Creates an empty table with these columns; a header ending in `>` (dropped) is right-aligned.
    init(_ headers: String...) {
        self.headers = headers.map { $0.hasSuffix(">") ? String($0.dropLast()) : $0 }
        self.alignments = headers.map { $0.hasSuffix(">") ? .right : .left }
    }

    /// Adds a row; missing cells are empty.
    mutating func add(_ cells: String...) {
        rows.append(cells.map(printable))
    }

    /// Whether the table has no rows.
    var isEmpty: Bool { rows.isEmpty }

    /// The table as lines, columns two spaces apart, trailing spaces trimmed.
    var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { cells in
            let line = headers.indices.map { column -> String in
                let cell = column < cells.count ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .right ? padding + cell : cell + padding
            }.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }.joined()
    }
}
