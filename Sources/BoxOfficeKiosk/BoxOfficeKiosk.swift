import ArgumentParser
import Foundation
import KioskUI

/// `boxoffice-kiosk`: the lobby kiosk, full screen in a terminal (or line by line with `--plain`).
@main
struct BoxOfficeKiosk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice-kiosk",
        abstract: "The lobby kiosk: customers log in, pick a show and seats, and pay, with the keyboard.")

    @Option(
        help: ArgumentHelp(
            "The daemons to talk to, HOST:PORT or a list HOST:PORT,HOST:PORT,... (IPv6 in brackets, [::1]:7420).",
            discussion: "When one goes away the kiosk moves on to the next, and logs the customer in again there.",
            valueName: "host:port,..."))
    var connect: String

    @Option(help: "This kiosk's id (its profile on the daemon).")
    var kiosk: String

    @Option(help: "A file holding this kiosk's secret (one line).")
    var secretFile: String

    @Option(help: "Seconds without a key press before the customer is logged out.")
    var idleReset: Double = 90

    @Flag(help: "Offer the payment simulator's test cards.")
    var demo = false

    @Flag(help: "Plain sentences and numbered menus, a line per answer: for screen readers and scripts.")
    var plain = false

    @Option(
        help: ArgumentHelp(
            "A receipt printer's device (/dev/usb/lp0) or a file, which each booking's ticket is printed to in ESC/POS.",
            discussion: "The path must exist: a file is appended to, never created.",
            valueName: "path"))
    var printer: String?

    @Flag(
        help: ArgumentHelp(
            "Be a door scanner: read ticket codes a line at a time (a barcode scanner types the code and Enter) and "
                + "show ADMIT or STOP in big letters.",
            discussion: "The kiosk's profile on the daemon must say role = \"door\"."))
    var door = false

    func validate() throws {
        do {
            _ = try DaemonAddress.list(connect)
        } catch {
            throw ValidationError("--connect: \(error)")
        }
        guard !(door && (plain || demo)) else { throw ValidationError("--door takes neither --plain nor --demo") }
        guard idleReset >= 1 else { throw ValidationError("--idle-reset must be at least 1 second") }
        guard KioskConfiguration.isValidKioskID(kiosk) else {
            throw ValidationError("--kiosk must be 1 to 64 of A-Z a-z 0-9 _ . -")
        }
        if let printer, printer.isEmpty || printer.utf8.count > 4096 {
            throw ValidationError("--printer must be a path of 1 to 4096 bytes")
        }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: secretFile) else {
            throw ValidationError("cannot read the secret file \(secretFile)")
        }
        let secret: String
        do {
            secret = try KioskConfiguration.secret(fromFile: Array(data))
        } catch {
            throw ValidationError("the secret file \(secretFile) cannot be used: \(error)")
        }
        let configuration = KioskConfiguration(
            kioskID: kiosk, secret: secret, daemons: try DaemonAddress.list(connect), idleResetSeconds: idleReset,
            demo: demo, timeZone: .current, printer: printer)
        if door {
            await DoorShell(configuration: configuration).run()
        } else {
            await KioskShell(configuration: configuration, plain: plain).run()
        }
    }
}
