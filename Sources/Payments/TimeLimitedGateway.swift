import Synchronization

/// A payment gateway whose every call answers within a time limit, so that a stuck provider can never hold a
/// kiosk's PAY, or a reconciliation sweep, for ever. The caller hears "did not answer" at the limit itself, even if
/// the provider ignores cancellation. An authorization that times out is not cancelled but left to finish: if it
/// approves after all, it is voided then, since its caller has already treated the attempt as failed (cancelling
/// it could leave an approval the provider recorded after the caller's void, with nobody left to void it). The limit is well inside the payment grace period (a kiosk
/// profile's grace must exceed it), so an attempt that timed out is voided, or left to the reconciler, before its
/// holds run out.
public struct TimeLimitedGateway: PaymentGateway {
    /// How long one gateway call may take, unless told otherwise.
    public static let standardLimit: Duration = .seconds(10)

    /// How long one gateway call may take.
    public let limit: Duration
    private let base: any PaymentGateway

    /// Wraps `base`, giving each of its calls `limit` to answer.
    public init(_ base: any PaymentGateway, limit: Duration = standardLimit) {
        self.base = base
        self.limit = limit
    }

    public func authorize(idempotencyKey: String, token: PaymentToken, amount: Money) async throws(PaymentError)
        -> PaymentRecord
    {
        try await limited(
            { [base] () throws(PaymentError) in
                try await base.authorize(idempotencyKey: idempotencyKey, token: token, amount: amount)
            },
            cancelsLateCall: false,
            late: { [base] record in
                if record.state == .authorized { try? await base.void(idempotencyKey: idempotencyKey) }
            })
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

    /// Runs `call` in a task of its own and answers with its outcome, or with an error once ``limit`` has passed,
    /// whichever comes first; the call is then cancelled (unless `cancelsLateCall` is false), and if it succeeds all
    /// the same, `late` gets its value.
    private func limited<Value: Sendable>(
        _ call: @escaping @Sendable () async throws(PaymentError) -> Value,
        cancelsLateCall: Bool = true,
        late: @escaping @Sendable (Value) async -> Void = { _ in }
    ) async throws(PaymentError) -> Value {
        let race = Race<Value>()
        let outcome = await withCheckedContinuation { continuation in
            race.begin(continuation)
            let work = Task {
                let outcome: Result<Value, PaymentError>
                do throws(PaymentError) {
                    outcome = .success(try await call())
                } catch {
                    outcome = .failure(error)
                }
                if !race.finish(outcome), case .success(let value) = outcome { await late(value) }
            }
            let timer = Task { [limit] in
                try? await Task.sleep(for: limit)
                if race.finish(.failure(PaymentError("the payment gateway did not answer within \(limit)"))),
                    cancelsLateCall
                {
                    work.cancel()
                }
            }
            race.whenFinished { timer.cancel() }
        }
        return try outcome.get()
    }
}

/// The first of a gateway call and its time limit to finish answers the caller; the other is told it lost.
private final class Race<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<Value, PaymentError>, Never>?
        var finished = false
        var onFinish: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func begin(_ continuation: CheckedContinuation<Result<Value, PaymentError>, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Runs `action` once the race is over (at once if it is).
    func whenFinished(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.finished { return true }
            state.onFinish = action
            return false
        }
        if runNow { action() }
    }

    /// Answers the caller with `outcome` if nobody has yet.
    /// - Returns: true when this was the answer.
    func finish(_ outcome: Result<Value, PaymentError>) -> Bool {
        let before = state.withLock { state -> State? in
            guard !state.finished else { return nil }
            defer { state = State(continuation: nil, finished: true, onFinish: nil) }
            return state
        }
        guard let before, let continuation = before.continuation else { return false }
        continuation.resume(returning: outcome)
        before.onFinish?()
        return true
    }
}
