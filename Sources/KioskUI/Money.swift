/// Amounts of money as the protocol sends them: whole numbers of a currency's minor units.
public enum Money {
    /// Currencies whose minor unit is not a hundredth (ISO 4217 exponent other than 2).
    private static let exponents: [String: Int] = [
        "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3, "JOD": 3,
    ]

    /// Formats an amount for people: `2400` EUR is `24.00 EUR`, `-150` EUR is `-1.50 EUR`, `500` JPY is `500 JPY`.
    public static func format(_ minorUnits: Int, _ currency: String) -> String {
        let exponent = exponents[currency] ?? 2
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard exponent > 0 else { return "\(sign)\(magnitude) \(currency)" }
        var scale: UInt = 1
        for _ in 0..<exponent { scale *= 10 }
        let fraction = String(magnitude % scale)
        let padded = String(repeating: "0", count: exponent - fraction.count) + fraction
        return "\(sign)\(magnitude / scale).\(padded) \(currency)"
    }

    /// A rate in basis points for people: `2000` is `20%`, `550` is `5.5%`.
    public static func percent(_ basisPoints: Int) -> String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        guard fraction != 0 else { return "\(whole)%" }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(whole).\(digits)%"
    }
}
