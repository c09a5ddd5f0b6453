import Foundation
import Testing

/// Decodes images with `zbarimg` from Debian's zbar-tools: a real QR decoder, not ours.
enum Decoder {
    /// The texts `zbarimg --raw -q` reads from `image` (a PGM file's bytes); empty when it finds none.
    static func decode(pgm image: [UInt8]) throws -> [String] {
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

/// A greyscale image, and its PGM (`P5`) encoding.
struct GreyImage {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, filledWith grey: UInt8) {
        self.width = width
        self.height = height
        pixels = Array(repeating: grey, count: width * height)
    }

    /// Fills the rectangle at `x`, `y` of `width` by `height` pixels with `grey`.
    mutating func fill(x: Int, y: Int, width: Int, height: Int, grey: UInt8) {
        for row in y..<(y + height) {
            for column in x..<(x + width) { pixels[row * self.width + column] = grey }
        }
    }

    /// The image as a binary PGM file.
    var pgm: [UInt8] { Array("P5\n\(width) \(height)\n255\n".utf8) + pixels }
}
