import BoxOfficeStore

/// What a kiosk is for: selling to customers, or admitting them at an auditorium's door.
public enum KioskRole: Sendable, Equatable {
    /// A customer's kiosk: accounts, browsing, booking. Never ADMIT.
    case customer
    /// A door scanner: only ADMIT, for the shows on `screens` (every screen when nil), within `entry`.
    case door(screens: Set<String>?, entry: EntryWindow)

    /// Whether the kiosk is a door scanner.
    public var isDoor: Bool {
        if case .door = self { true } else { false }
    }
}
