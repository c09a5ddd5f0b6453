import Foundation

/// What an operator command found or did: an aligned table for people, one JSON document for scripts.
public protocol ConsoleReport: Encodable, Sendable {
    /// The report as text for a terminal, ending with a newline.
    var text: String { get }
}

extension ConsoleReport {
    /// The report as one JSON document (keys sorted, so output is stable), ending with a newline.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The report as one line of JSON, for streams of documents (`audit --follow --json`).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// An amount in minor units written in major units: `1200 EUR` is `12.00 EUR`.
enum MoneyText {
    /// ISO 4217 currencies whose minor unit is not the cent.
    private static let decimals: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3,
        "LYD": 3, "OMR": 3, "TND": 3,
    ]

    /// `amount` minor units of `currency` as a decimal number without the currency: `1200` EUR is `12.00`.
    static func number(_ amount: Int, _ currency: String) -> String {
        let places = decimals[currency] ?? 2
        guard places > 0 else { return String(amount) }
        var divisor = 1
        for _ in 0..<places { divisor *= 10 }
        let fraction = String(abs(amount) % divisor)
        let sign = amount < 0 ? "-" : ""
        return "\(sign)\(abs(amount) / divisor)."
            + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// `12.00 EUR`.
    static func amount(_ amount: Int, _ currency: String) -> String {
        currency.isEmpty ? String(amount) : "\(number(amount, currency)) \(currency)"
    }
}

/// Text safe for a terminal: control characters (an escape sequence in a film title, say) become `?`.
func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
}
