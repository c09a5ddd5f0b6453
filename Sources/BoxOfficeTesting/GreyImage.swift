/// A greyscale image, and its PGM (`P5`) encoding: what tests draw codes into for ``BarcodeReader``.
public struct GreyImage: Sendable {
    /// Full white.
    public static let white: UInt8 = 255
    /// Full black.
    public static let black: UInt8 = 0

    /// Pixels on a row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Each pixel's grey, row by row (0 black, 255 white).
    public var pixels: [UInt8]

    /// An image of `width` by `height` pixels, all `grey`.
    public init(width: Int, height: Int, filledWith grey: UInt8) {
        self.width = width
        self.height = height
        pixels = Array(repeating: grey, count: width * height)
    }

    /// Fills the rectangle at `x`, `y` of `width` by `height` pixels with `grey`.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, grey: UInt8) {
        for row in y..<(y + height) {
            for column in x..<(x + width) { pixels[row * self.width + column] = grey }
        }
    }

    /// The image as a binary PGM file.
    public var pgm: [UInt8] { Array("P5\n\(width) \(height)\n255\n".utf8) + pixels }
}
