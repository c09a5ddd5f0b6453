import RedisClient

extension Scripts {
    /// A door admits a ticket's holders, once: the ticket must name the booking, the show be on one of the door's
    /// screens and within its entry window, the booking not cancelled and not admitted before. Marks the booking
    /// `admitted` (ms) and `admitted_by` (the door) and audits `admit`; any refusal writes nothing.
    /// KEYS: tickets, booking, show, then the show's open sessions, hold index and audit stream.
    /// ARGV: ticket code, booking id, door kiosk id, the door's screens (space-separated; empty for every screen),
    /// ms before the start the door opens, ms after the end it closes.
    /// Replies: `ADMITTED <user> <screen> <start epoch s> <seats>` | `UNKNOWN_TICKET` | `WRONG_SCREEN <screen>`
    /// | `CANCELLED` | `ALREADY <admitted ms> <door>` | `NOT_YET_OPEN <opens ms>` | `SHOW_OVER <closed ms>`.
    static let admit = RedisScript(
        name: "admit",
        source: prelude + """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return {'UNKNOWN_TICKET'} end
            local b = redis.call('HMGET', KEYS[2], 'ticket', 'state', 'user', 'seats', 'admitted', 'admitted_by')
            if b[1] ~= ARGV[1] then return {'UNKNOWN_TICKET'} end
            local show = redis.call('HMGET', KEYS[3], 'screen', 'start_epoch', 'duration_minutes')
            if not show[1] then return {'UNKNOWN_TICKET'} end
            if ARGV[4] ~= '' then
              local mine = false
              for _, screen in ipairs(words(ARGV[4])) do
                if screen == show[1] then mine = true end
              end
              if not mine then return {'WRONG_SCREEN', show[1]} end
            end
            if b[2] == 'CANCELLED' then return {'CANCELLED'} end
            if b[5] then return {'ALREADY', b[5], b[6] or ''} end
            local start = tonumber(show[2]) * 1000
            local opens = start - tonumber(ARGV[5])
            local closes = start + tonumber(show[3] or '0') * 60000 + tonumber(ARGV[6])
            if now < opens then return {'NOT_YET_OPEN', int(opens)} end
            if now > closes then return {'SHOW_OVER', int(closes)} end
            redis.call('HSET', KEYS[2], 'admitted', int(now), 'admitted_by', ARGV[3])
            audit('admit', 'booking', ARGV[2], 'user', b[3] or '', 'seats', b[4] or '', 'door', ARGV[3])
            return {'ADMITTED', b[3] or '', show[1], show[2], b[4] or ''}
            """)
}
