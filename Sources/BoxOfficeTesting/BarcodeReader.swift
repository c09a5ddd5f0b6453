import Foundation

/// Reads barcodes in images with `zbarimg` from Debian's zbar-tools: a real QR decoder, not ours.
public enum BarcodeReader {
    /// The texts `zbarimg --raw -q` reads from `image` (a PGM file's bytes); empty when it finds none.
    public static func decode(pgm image: [UInt8]) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("code.pgm")
        try Data(image).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--raw", "-q", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // zbarimg exits 4 when it found no symbol.
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }
}
