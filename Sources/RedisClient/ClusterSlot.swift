/// A Redis Cluster hash slot, 0 to 16383: CRC16 (XMODEM) of a key's hash tag, or of the whole key without one,
/// modulo 16384, as the Cluster specification defines it. Keys that share a tag (`{show:1}`) share a slot.
public struct ClusterSlot: Hashable, Sendable, CustomStringConvertible {
    /// How many slots a cluster has.
    public static let count = 16384

    /// The slot's number.
    public let number: Int

    /// The slot of `key`.
    public init(key: some StringProtocol) {
        let bytes = Array(key.utf8)
        var hashed = bytes[...]
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            hashed = bytes[(open + 1)..<close]
        }
        number = Int(Self.crc16(hashed)) % Self.count
    }

    /// A slot by number; nil outside 0...16383.
    public init?(number: Int) {
        guard (0..<Self.count).contains(number) else { return nil }
        self.number = number
    }

    public var description: String { String(number) }

    /// CRC16-CCITT (XMODEM) of `bytes`: polynomial 0x1021, initial value 0, no reflection.
    public static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
