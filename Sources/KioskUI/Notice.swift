/// A message shown above the keys until the next key press.
public struct Notice: Hashable, Sendable {
    /// The message, in plain words.
    public var text: String
    /// An error or a warning rather than news.
    public var isWarning: Bool

    /// A notice saying `text`; `warning` for errors and warnings.
    public init(_ text: String, warning: Bool = false) {
        self.text = text
        isWarning = warning
    }
}
