// boxoffice-fuzz: a libFuzzer target for the kiosk protocol's line framing and request parser.
// Build and run it with `.ci/fuzz` (swift build --sanitize=fuzzer --sanitize=address); built without the fuzzer it
// is an empty program.
import KioskProtocol

/// Frames `data` as the server does (LF ends a line, a CR before it is dropped, 4096 bytes at most) and parses every
/// line. Any crash, and any error line that could break the framing, is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine[...]
        do {
            _ = try Request(parsing: line)
        } catch {
            let reply = error.line
            precondition(reply.hasPrefix("ERR "), "an error line must start with ERR")
            precondition(!reply.unicodeScalars.contains { $0.value < 32 || $0.value == 127 }, "control character")
            precondition(reply.utf8.count < 200, "an error line echoes too much")
        }
    }
    return 0
}
