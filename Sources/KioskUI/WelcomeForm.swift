/// The welcome screen: log in or register, then name and password.
public struct WelcomeForm: Hashable, Sendable {
    /// Where the customer is in the form.
    public enum Step: Hashable, Sendable {
        /// Choosing between logging in and creating an account.
        case choose
        /// Typing the name.
        case name
        /// Typing the password.
        case password
    }

    /// Where the customer is in the form.
    public var step: Step = .choose
    /// 0 log in, 1 create an account.
    public var choice = 0
    /// The name typed, in lower case.
    public var name = ""
    /// The password being typed; never drawn, only its length as `*`.
    public var password = ""
    /// Waiting for the server.
    public var busy = false

    /// True when the customer chose to create an account.
    public var registering: Bool { choice == 1 }

    /// An empty form at its first step.
    public init() {}
}
