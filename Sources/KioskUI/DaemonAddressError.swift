/// Why a `--connect` address list cannot be used, naming the element at fault.
public struct DaemonAddressError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, in words.
    public var description: String

    /// Creates an error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
