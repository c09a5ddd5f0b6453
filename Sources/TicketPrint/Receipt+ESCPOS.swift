// MARK: ESC/POS, the command set of receipt printers

extension Receipt {
    /// The characters a receipt line holds at the printer's normal size (80 mm paper, font A).
    public static let lineWidth = 42

    /// The receipt as ESC/POS bytes: initialise (`ESC @`), the title emphasised and double size, the show, the
    /// seats and prices, the ticket code as a QR code by the printer's own QR function (`GS ( k`: model 2, module
    /// size 6, error correction M, store, print) and in text, then feed and cut (`GS V`).
    ///
    /// Text goes out as printable ASCII only: accents are dropped and anything else becomes `?`, so no text from the
    /// programme can smuggle a command to the printer.
    public var escPOS: [UInt8] {
        var bytes = ESCPOS.initialise
        bytes += ESCPOS.align(.centre)
        bytes += ESCPOS.emphasis(true) + ESCPOS.doubleSize(true)
        bytes += ESCPOS.line(title)
        bytes += ESCPOS.doubleSize(false) + ESCPOS.emphasis(false)
        bytes += ESCPOS.line(time)
        bytes += ESCPOS.line("Screen " + screen)
        bytes += ESCPOS.align(.left) + ESCPOS.line("")
        bytes += ESCPOS.line("Seats: " + seats.joined(separator: " "))
        for item in items { bytes += ESCPOS.line(Self.columns(item.label, item.amount)) }
        if !total.isEmpty { bytes += ESCPOS.emphasis(true) + ESCPOS.line(Self.columns("Total", total)) }
        bytes += ESCPOS.emphasis(false)
        bytes += ESCPOS.line("Booking " + bookingID)
        if let ticketCode, (1...QRCode.maximumBytes).contains(ticketCode.utf8.count) {
            bytes += ESCPOS.align(.centre) + ESCPOS.line("")
            bytes += ESCPOS.qrCode(ticketCode)
            bytes += ESCPOS.line(ticketCode)
            bytes += ESCPOS.line("Show this code at the door")
        }
        bytes += ESCPOS.feed(4) + ESCPOS.cut
        return bytes
    }

    /// `left` and `right` on one line, `right` flush with the margin (on a line of its own if both do not fit).
    static func columns(_ left: String, _ right: String) -> String {
        let gap = lineWidth - left.count - right.count
        return gap >= 1 ? left + String(repeating: " ", count: gap) + right : left + "\n" + right
    }
}
