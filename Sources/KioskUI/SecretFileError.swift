/// Why a secret file cannot be used; never quotes the secret.
public struct SecretFileError: Error, CustomStringConvertible {
    /// What is wrong, in words.
    public var description: String

    /// Creates an error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
