import RedisClient

extension Scripts {
    /// An operator, or the customer who owns it, cancels a confirmed, captured booking: marks it CANCELLED with its
    /// refund PENDING, gives back its seats (only the sold entries that still name this booking) and audits `cancel`.
    /// Cancelling a cancelled booking changes nothing and says where its refund stands, so the caller can retry the
    /// refund. A customer (ARGV customer not empty) may cancel only a booking of their own (another's is
    /// `NOT_FOUND`), not yet admitted at the door, and only until the show's cut-off (`cancel_cutoff_minutes`
    /// before its start; the default in ARGV for a show loaded without one).
    /// KEYS: booking, sold, show, then the show's open sessions, hold index and audit stream.
    /// ARGV: booking id, actor, customer (empty for an operator), default cut-off minutes.
    /// Replies: `CANCELLED <refund state> <user> <seats> <amount> <currency> <payment key>` (now)
    /// | `ALREADY <refund state> <user> <seats> <amount> <currency> <payment key>` (before)
    /// | `NOT_FOUND` | `UNSETTLED <payment state>` (not captured yet: the reconciler has still to settle it)
    /// | `ADMITTED` | `TOO_LATE <cut-off ms>` (a customer's only).
    static let cancelBooking = RedisScript(
        name: "cancel_booking",
        source: prelude + """
            local b = redis.call('HMGET', KEYS[1], 'id', 'state', 'user', 'seats', 'amount', 'currency', 'payment',
              'payment_state', 'refund_state', 'admitted')
            if not b[1] then return {'NOT_FOUND'} end
            local customer = ARGV[3] ~= ''
            if customer and b[3] ~= ARGV[3] then return {'NOT_FOUND'} end
            local about = {b[3] or '', b[4] or '', b[5] or '0', b[6] or '', b[7] or ''}
            if b[2] == 'CANCELLED' then return {'ALREADY', b[9] or 'PENDING', unpack(about)} end
            if customer then
              if b[10] then return {'ADMITTED'} end
              local show = redis.call('HMGET', KEYS[3], 'start_epoch', 'cancel_cutoff_minutes')
              local cutoff = tonumber(show[1] or '0') * 1000 - tonumber(show[2] or ARGV[4]) * 60000
              if now >= cutoff then return {'TOO_LATE', int(cutoff)} end
            end
            if b[8] ~= 'CAPTURED' then return {'UNSETTLED', b[8] or ''} end
            for _, seat in ipairs(words(b[4])) do
              if redis.call('HGET', KEYS[2], seat) == ARGV[1] then redis.call('HDEL', KEYS[2], seat) end
            end
            salesChanged()
            redis.call('HSET', KEYS[1], 'state', 'CANCELLED', 'cancelled', int(now), 'cancelled_by', ARGV[2],
              'refund_state', 'PENDING')
            audit('cancel', 'booking', ARGV[1], 'user', about[1], 'seats', about[2], 'amount', about[3],
              'currency', about[4], 'actor', ARGV[2])
            return {'CANCELLED', 'PENDING', unpack(about)}
            """)

    /// Records that the gateway refunded a cancelled booking: `refund_state` REFUNDED and an audit `refund` entry,
    /// once however often it is called.
    /// KEYS: booking, then the show's open sessions, hold index and audit stream. ARGV: booking id, actor.
    /// Replies: `OK` (recorded now) | `ALREADY` | `NOT_CANCELLED`.
    static let recordRefund = RedisScript(
        name: "record_refund",
        source: prelude + """
            local b = redis.call('HMGET', KEYS[1], 'state', 'refund_state', 'user', 'amount', 'currency', 'payment')
            if b[1] ~= 'CANCELLED' then return {'NOT_CANCELLED'} end
            if b[2] == 'REFUNDED' then return {'ALREADY'} end
            redis.call('HSET', KEYS[1], 'refund_state', 'REFUNDED', 'refunded', int(now))
            audit('refund', 'booking', ARGV[1], 'user', b[3] or '', 'amount', b[4] or '0', 'currency', b[5] or '',
              'payment', b[6] or '', 'actor', ARGV[2])
            return {'OK'}
            """)
}
