import Foundation
import KioskProtocol
import Testing

/// Replays every input in Tests/FuzzCorpus (the fuzzer's seeds, and every crash it ever found) through the request
/// parser, framed as the server frames lines, with the fuzz target's checks.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static var inputs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("The corpus is there")
    func corpusExists() {
        #expect(Self.inputs.count >= 5)
    }

    @Test("Every corpus input parses or fails cleanly", arguments: inputs)
    func replay(input: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: input))
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine[...]
            do {
                _ = try Request(parsing: line)
            } catch {
                #expect(error.line.hasPrefix("ERR "))
                #expect(!error.line.unicodeScalars.contains { $0.value < 32 || $0.value == 127 })
                #expect(error.line.utf8.count < 200)
            }
        }
    }
}
