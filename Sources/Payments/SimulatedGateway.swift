import RedisClient

/// The built-in gateway: follows the common test-token convention and keeps its ledger in Redis under a prefix
/// of its own (`<prefix>:paysim:`), as a real provider keeps its ledger on its side.
///
/// `tok_visa` and `tok_mastercard` are approved; `tok_chargeDeclined` is declined (`DECLINED`),
/// `tok_chargeDeclinedInsufficientFunds` too (`INSUFFICIENT_FUNDS`); any other token is `INVALID_TOKEN`.
///
/// `latency` delays each authorization's answer after the ledger has recorded it, as a card network would: it
/// makes the window between authorization and confirmation wide enough to test a daemon dying inside it.
public struct SimulatedGateway: PaymentGateway {
    private let redis: RedisClient
    private let prefix: String
    private let latency: Duration

    /// Creates a simulator whose ledger lives under `<keyPrefix>:paysim:`.
    public init(redis: RedisClient, keyPrefix: String, latency: Duration = .zero) {
        self.redis = redis
        self.prefix = "\(keyPrefix):paysim"
        self.latency = latency
    }

    /// The ledger key of one attempt.
    public func ledgerKey(_ idempotencyKey: String) -> String { "\(prefix):auth:\(idempotencyKey)" }

    private static let authorizeScript = RedisScript(
        name: "paysim_authorize",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'amount', ARGV[1], 'currency', ARGV[2], 'state', ARGV[3], 'reason', ARGV[4])
            end
            return redis.call('HMGET', KEYS[1], 'amount', 'currency', 'state', 'reason')
            """)

    /// KEYS: ledger entry. ARGV: the state to move to, then the one state it may come from.
    /// Replies: the state after the call, or an error naming the state that forbids it.
    private static let transitionScript = RedisScript(
        name: "paysim_transition",
        source: """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state == ARGV[1] then return state end
            if not state and ARGV[1] == 'VOIDED' then
              redis.call('HSET', KEYS[1], 'state', 'VOIDED', 'amount', '0', 'currency', '', 'reason', '')
              return 'VOIDED'
            end
            if state ~= ARGV[2] then return redis.error_reply('PAYSIM ' .. tostring(state)) end
            redis.call('HSET', KEYS[1], 'state', ARGV[1])
            return ARGV[1]
            """)

    public func authorize(idempotencyKey: String, token: PaymentToken, amount: Money) async throws(PaymentError)
        -> PaymentRecord
    {
        let decline: DeclineReason? =
            switch token.value {
            case "tok_visa", "tok_mastercard": nil
            case "tok_chargeDeclined": .declined
            case "tok_chargeDeclinedInsufficientFunds": .insufficientFunds
            default: .invalidToken
            }
        let reply = try await send(
            .evaluate(
                Self.authorizeScript, keys: [ledgerKey(idempotencyKey)],
                arguments: [
                    String(amount.minorUnits), amount.currency,
                    (decline == nil ? PaymentState.authorized : .declined).rawValue, decline?.rawValue ?? "",
                ]))
        guard let record = Self.record(idempotencyKey, fields: reply) else {
            throw PaymentError("unexpected ledger reply \(reply)")
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        return record
    }

    public func capture(idempotencyKey: String) async throws(PaymentError) {
        try await transition(idempotencyKey, to: .captured, from: .authorized)
    }

    public func void(idempotencyKey: String) async throws(PaymentError) {
        try await transition(idempotencyKey, to: .voided, from: .authorized)
    }

    public func refund(idempotencyKey: String) async throws(PaymentError) {
        try await transition(idempotencyKey, to: .refunded, from: .captured)
    }

    public func lookup(idempotencyKey: String) async throws(PaymentError) -> PaymentRecord? {
        let reply = try await send(
            RedisCommand("HMGET", ledgerKey(idempotencyKey), "amount", "currency", "state", "reason"))
        return Self.record(idempotencyKey, fields: reply)
    }

    private func transition(_ key: String, to state: PaymentState, from origin: PaymentState) async throws(PaymentError)
    {
        let reply = try await send(
            .evaluate(
                Self.transitionScript, keys: [ledgerKey(key)], arguments: [state.rawValue, origin.rawValue]))
        if let message = reply.errorMessage { throw PaymentError("cannot move payment to \(state): \(message)") }
    }

    private func send(_ command: RedisCommand) async throws(PaymentError) -> RedisReply {
        do {
            return try await redis.send(command)
        } catch {
            throw PaymentError("payment ledger unreachable: \(error)")
        }
    }

    private static func record(_ key: String, fields reply: RedisReply) -> PaymentRecord? {
        guard let fields = reply.array?.map(\.string), fields.count == 4, let amount = fields[0].flatMap({ Int($0) }),
            let currency = fields[1], let state = fields[2].flatMap({ PaymentState(rawValue: $0) })
        else { return nil }
        return PaymentRecord(
            idempotencyKey: key, amount: Money(minorUnits: amount, currency: currency), state: state,
            declineReason: fields[3].flatMap { DeclineReason(rawValue: $0) })
    }
}
