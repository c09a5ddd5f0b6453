import BoxOfficeCore
import BoxOfficeStore
import Credentials
import FoundationEssentials
import KioskProtocol

/// A kiosk profile that cannot be used, named by file, line and field, so the operator can fix it.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    /// The file at fault.
    public let file: String
    /// The line at fault, from 1, when one line is to blame.
    public let line: Int?
    /// The field at fault, when one field is to blame.
    public let field: String?
    /// What is wrong.
    public let message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { place += ": field '\(field)'" }
        return "\(place): \(message)"
    }
}

extension KioskProfile {
    /// Reads every `*.toml` file in `directory`, one kiosk per file.
    /// - Throws: ``ProfileError`` for the first unreadable or malformed file, or a kiosk id used twice.
    public static func loadAll(from directory: String) throws(ProfileError) -> [KioskID: KioskProfile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }
                .sorted()
        } catch {
            throw ProfileError(file: directory, line: nil, field: nil, message: "cannot read the profiles folder")
        }
        guard !names.isEmpty else {
            throw ProfileError(file: directory, line: nil, field: nil, message: "no kiosk profiles (*.toml) found")
        }
        var profiles: [KioskID: (KioskProfile, String)] = [:]
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path), data.count <= 65_536,
                let text = String(validating: Array(data), as: UTF8.self)
            else {
                throw ProfileError(file: path, line: nil, field: nil, message: "unreadable, not UTF-8, or over 64 KiB")
            }
            let profile = try parse(text, file: path)
            if let (_, other) = profiles[profile.id] {
                throw ProfileError(
                    file: path, line: nil, field: "id", message: "kiosk '\(profile.id)' is already defined in \(other)")
            }
            profiles[profile.id] = (profile, path)
        }
        return profiles.mapValues(\.0)
    }

    /// Parses one profile: flat TOML (`key = "string"` or `key = 123`, comments with `#`).
    /// - Throws: ``ProfileError`` naming `file`, the line and the field.
    public static func parse(_ text: String, file: String) throws(ProfileError) -> KioskProfile {
        var values: [String: (value: FlatValue, line: Int)] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ field: String?, _ message: String) -> ProfileError {
                ProfileError(file: file, line: lineNumber, field: field, message: message)
            }
            let line = FlatValue.stripComment(rawLine).trimmedOfBlanks
            guard !line.isEmpty else { continue }
            guard let equals = line.firstIndex(of: "=") else { throw fail(nil, "expected 'key = value'") }
            let key = line[..<equals].trimmedOfBlanks
            guard Self.fields.contains(key) else {
                throw fail(key, "unknown field; expected one of \(Self.fields.sorted().joined(separator: ", "))")
            }
            guard values[key] == nil else { throw fail(key, "set twice") }
            guard let value = FlatValue(line[line.index(after: equals)...].trimmedOfBlanks) else {
                throw fail(key, "value must be a \"quoted string\", a whole number or a list of quoted strings")
            }
            values[key] = (value, lineNumber)
        }

        func string(_ key: String) throws(ProfileError) -> (String, Int) {
            guard let entry = values[key] else {
                throw ProfileError(file: file, line: nil, field: key, message: "missing")
            }
            guard case .string(let text) = entry.value else {
                throw ProfileError(file: file, line: entry.line, field: key, message: "must be a quoted string")
            }
            return (text, entry.line)
        }
        func number(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ProfileError) -> Int {
            guard let entry = values[key] else { return fallback }
            guard case .integer(let value) = entry.value, range.contains(value) else {
                throw ProfileError(
                    file: file, line: entry.line, field: key,
                    message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }

        let (idText, idLine) = try string("id")
        guard let id = KioskID(idText) else {
            throw ProfileError(file: file, line: idLine, field: "id", message: "must be 1-64 of A-Z a-z 0-9 _ . -")
        }
        let (digestText, digestLine) = try string("secret_sha256")
        guard let digest = SecretDigest(hex: digestText) else {
            throw ProfileError(
                file: file, line: digestLine, field: "secret_sha256",
                message: "must be 64 lowercase hex digits (the SHA-256 of the kiosk's secret)")
        }
        let policy = SessionPolicy(
            timeoutMilliseconds: try number(
                "session_timeout_seconds", default: Defaults.sessionTimeoutSeconds, range: 1...3600) * 1000,
            maxSeats: try number("max_seats", default: Defaults.maxSeats, range: 1...Request.maximumSeatsPerRequest),
            paymentAttempts: try number("payment_attempts", default: Defaults.paymentAttempts, range: 1...10),
            paymentGraceMilliseconds: try number(
                "payment_grace_seconds", default: Defaults.paymentGraceSeconds,
                range: Defaults.shortestPaymentGraceSeconds...600) * 1000,
            startsPerCustomer: try number(
                "sessions_per_customer", default: Defaults.sessionsPerCustomer, range: 1...1_000_000),
            startsPerKiosk: try number("sessions_per_kiosk", default: Defaults.sessionsPerKiosk, range: 1...1_000_000),
            openSessionsPerKiosk: try number(
                "open_sessions", default: SessionPolicy.defaultOpenSessionsPerKiosk, range: 1...1_000_000))
        return KioskProfile(
            id: id, secretDigest: digest, policy: policy,
            passwordChecksPerMinute: try number(
                "password_checks_per_minute", default: Defaults.passwordChecksPerMinute, range: 1...10_000),
            maxConnections: try number("max_connections", default: Defaults.maxConnections, range: 1...100_000),
            role: try role(values, file: file, number: number))
    }

    /// The `role` field (`"customer"`, the default, or `"door"`), with a door's `screens` (a list of screen ids;
    /// absent for every screen) and entry window (`entry_opens_minutes`, `entry_closes_minutes`). A door's fields
    /// on a customer's kiosk are refused.
    private static func role(
        _ values: [String: (value: FlatValue, line: Int)], file: String,
        number: (String, Int, ClosedRange<Int>) throws(ProfileError) -> Int
    ) throws(ProfileError) -> KioskRole {
        var isDoor = false
        if let entry = values["role"] {
            guard case .string(let name) = entry.value, ["customer", "door"].contains(name) else {
                throw ProfileError(
                    file: file, line: entry.line, field: "role", message: "must be \"customer\" or \"door\"")
            }
            isDoor = name == "door"
        }
        let doorFields = ["screens", "entry_opens_minutes", "entry_closes_minutes"]
        guard isDoor else {
            if let field = doorFields.first(where: { values[$0] != nil }) {
                throw ProfileError(
                    file: file, line: values[field]?.line, field: field, message: "only a door (role = \"door\") has it"
                )
            }
            return .customer
        }
        var screens: Set<String>?
        if let entry = values["screens"] {
            guard case .strings(let names) = entry.value, !names.isEmpty,
                names.allSatisfy({ (1...32).contains($0.utf8.count) && !$0.contains(" ") })
            else {
                throw ProfileError(
                    file: file, line: entry.line, field: "screens",
                    message: "must be a list of screen ids such as [\"1\", \"2\"]; leave it out for every screen")
            }
            screens = Set(names)
        }
        return .door(
            screens: screens,
            entry: EntryWindow(
                opensMinutesBeforeStart: try number(
                    "entry_opens_minutes", Defaults.entryOpensMinutesBeforeStart, 0...1440),
                closesMinutesAfterEnd: try number("entry_closes_minutes", Defaults.entryClosesMinutesAfterEnd, 0...1440)
            ))
    }

    private static let fields: Set<String> = [
        "id", "secret_sha256", "max_seats", "session_timeout_seconds", "payment_attempts", "payment_grace_seconds",
        "password_checks_per_minute", "sessions_per_customer", "sessions_per_kiosk", "open_sessions",
        "max_connections", "role", "screens", "entry_opens_minutes", "entry_closes_minutes",
    ]
}

/// A value of flat TOML: a basic string, an integer, or a one-line list of basic strings.
private enum FlatValue {
    case string(String)
    case integer(Int)
    case strings([String])

    init?(_ text: String) {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { return nil }
            let body = text.dropFirst().dropLast().trimmedOfBlanks
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmedOfBlanks }
            var items: [String] = []
            for item in body.isEmpty ? [] : parts.last == "" ? Array(parts.dropLast()) : parts {
                guard case .string(let name) = FlatValue(item) else { return nil }
                items.append(name)
            }
            self = .strings(items)
        } else if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else { return nil }
            let body = text.dropFirst().dropLast()
            guard !body.contains("\""), !body.contains("\\") else { return nil }
            self = .string(String(body))
        } else {
            guard let value = Int(String(text.filter { $0 != "_" })) else { return nil }
            self = .integer(value)
        }
    }

    /// The line without a trailing `# comment` (a `#` inside quotes is kept).
    static func stripComment(_ line: Substring) -> String {
        var inString = false
        for index in line.indices {
            switch line[index] {
            case "\"": inString.toggle()
            case "#" where !inString: return String(line[..<index])
            default: continue
            }
        }
        return String(line)
    }
}

extension StringProtocol {
    /// The text without the spaces and tabs at either end.
    fileprivate var trimmedOfBlanks: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
