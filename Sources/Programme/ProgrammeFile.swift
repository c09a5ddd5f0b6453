import Foundation
import TOML

/// A programme file's text, read with a precise reason when it cannot be: missing, a folder, unreadable, too large or
/// not UTF-8.
struct ProgrammeFile {
    /// The text of the file.
    let text: String

    /// Reads the file at `path`.
    /// - Throws: ``ProgrammeError`` for the whole file (line 0), naming it by `path` as given.
    init(path: String) throws(ProgrammeError) {
        func failure(_ message: String) -> ProgrammeError {
            ProgrammeError(file: path, line: 0, field: "", message: message)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw failure("no such file")
        }
        guard !isFolder.boolValue else { throw failure("is a folder, not a programme file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw failure("cannot be read: permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= TOMLDocument.maximumSize else {
            throw failure("is \(size) bytes; a programme file is at most 1 MiB (\(TOMLDocument.maximumSize) bytes)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure("cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= TOMLDocument.maximumSize else {
            throw failure("is over 1 MiB; a programme file is at most \(TOMLDocument.maximumSize) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProgrammeError(
                file: path, line: Self.lineOfFirstInvalidByte(in: data), field: "",
                message: "not UTF-8 text: save the file as UTF-8")
        }
        self.text = text
    }

    /// The line (from 1) holding the first byte that is not part of valid UTF-8.
    static func lineOfFirstInvalidByte(in data: Data) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var line = 1
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar):
                if scalar.count == 1, scalar.first == UInt8(ascii: "\n") { line += 1 }
            case .error: return line
            case .emptyInput: return line
            }
        }
    }
}
