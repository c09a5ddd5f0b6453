/// A key the customer pressed, decoded from the terminal's bytes.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// An arrow key.
    case up, down, left, right
    /// Enter (or Return), Escape, Backspace (or Delete), Tab.
    case enter, escape, backspace, tab
    /// Ctrl-C: the operator's way out (the kiosk itself never quits on a customer's keys otherwise).
    case interrupt
}
