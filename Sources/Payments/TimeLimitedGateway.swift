/// A payment gateway whose every call gives up after a time limit, so that a stuck provider can never hold a
/// kiosk's PAY, or a reconciliation sweep, for ever. The limit is well inside the payment grace period: an
/// attempt that timed out is voided, or left to the reconciler.
public struct TimeLimitedGateway: PaymentGateway {
    /// How long one gateway call may take.
    public static let limit: Duration = .seconds(10)

    private let base: any PaymentGateway

    /// Wraps `base`, giving each of its calls ``limit`` to answer.
    public init(_ base: any PaymentGateway) {
        self.base = base
    }

    public func authorize(idempotencyKey: String, token: PaymentToken, amount: Money) async throws(PaymentError)
        -> PaymentRecord
    {
        try await limited { [base] () throws(PaymentError) in
            try await base.authorize(idempotencyKey: idempotencyKey, token: token, amount: amount)
        }
    }

    public func capture(idempotencyKey: String) async throws(PaymentError) {
        try await limited { [base] () throws(PaymentError) in try await base.capture(idempotencyKey: idempotencyKey) }
    }

    public func void(idempotencyKey: String) async throws(PaymentError) {
        try await limited { [base] () throws(PaymentError) in try await base.void(idempotencyKey: idempotencyKey) }
    }

    public func refund(idempotencyKey: String) async throws(PaymentError) {
        try await limited { [base] () throws(PaymentError) in try await base.refund(idempotencyKey: idempotencyKey) }
    }

    public func lookup(idempotencyKey: String) async throws(PaymentError) -> PaymentRecord? {
        try await limited { [base] () throws(PaymentError) in try await base.lookup(idempotencyKey: idempotencyKey) }
    }

    private func limited<Value: Sendable>(_ call: @escaping @Sendable () async throws(PaymentError) -> Value)
        async throws(PaymentError) -> Value
    {
        let outcome = await withTaskGroup(of: Result<Value, PaymentError>?.self) { group in
            group.addTask {
                do throws(PaymentError) {
                    return .success(try await call())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: Self.limit)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        guard let outcome else { throw PaymentError("the payment gateway did not answer within \(Self.limit)") }
        return try outcome.get()
    }
}
