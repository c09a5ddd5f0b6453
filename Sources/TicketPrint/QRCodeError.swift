/// Why a text could not be encoded as a ``QRCode``.
public struct QRCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case badLength(Int)
        case encoderFailed
    }

    private let reason: Reason

    /// The text is empty or longer than ``QRCode/maximumBytes``.
    static func badLength(_ count: Int) -> QRCodeError { QRCodeError(reason: .badLength(count)) }
    /// libqrencode returned no symbol (out of memory, or a text it cannot hold).
    static let encoderFailed = QRCodeError(reason: .encoderFailed)

    /// The reason in words.
    public var description: String {
        switch reason {
        case .badLength(let count): "a QR code holds 1 to \(QRCode.maximumBytes) bytes here, not \(count)"
        case .encoderFailed: "libqrencode could not encode the text"
        }
    }
}
