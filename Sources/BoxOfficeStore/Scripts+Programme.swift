import RedisClient

extension Scripts {
    /// Writes one show of a programme, unless that would drop, block or move a seat that is booked or held (or move
    /// a show that has any), or the show changed since the loader read it. A forced write, or the demo's rewrite of
    /// its own show (its hash has `demo`), frees the affected holds and keeps every booking: a booked seat that
    /// leaves the layout stays sold to its booking. A theatre's load that rewrites a demo show (same id) takes it
    /// over: every booked or held seat of it is busy, so that the real show never opens with seats sold to the
    /// demo's customers unless forced. The show is marked `demo` when the load is the demo's, unmarked otherwise.
    /// KEYS: show, seats, sold, then one hold key per affected seat, then the show's open sessions, hold index and
    /// audit stream.
    /// ARGV: definition digest the loader read (`''` for none), new canonical definition, force (`1`/`0`),
    /// dry run (`1`/`0`), demo (`1`/`0`), whether the loader read the show as the demo's (`1`/`0`; then, for a
    /// theatre's load, the affected seats are the whole stored layout), the number of affected seats, those seats,
    /// the number of show fields, field/value pairs, then seat/kind pairs for the whole layout.
    /// Replies: `UNCHANGED` | `CONFLICT` (changed meanwhile; read again) | `BUSY <seat>=<booked|held>...` (refused)
    /// | `WOULD_CHANGE <seat>=<state>...` (dry run) | `CHANGED <seat>=<state>...` (written; the seats forced).
    static let loadShow = RedisScript(
        name: "load_show",
        source: prelude + """
            local current = redis.call('HGET', KEYS[1], 'definition') or ''
            if current ~= ARGV[1] then return {'CONFLICT'} end
            local digest = redis.sha1hex(ARGV[2])
            local wasDemo = redis.call('HEXISTS', KEYS[1], 'demo') == 1
            local demo = ARGV[5] == '1'
            if current == digest and redis.call('HEXISTS', KEYS[1], 'withdrawn') == 0 and wasDemo == demo then
              return {'UNCHANGED'}
            end
            if (ARGV[6] == '1') ~= wasDemo then return {'CONFLICT'} end
            local takeover = wasDemo and not demo
            local affected = tonumber(ARGV[7])
            local busy = {}
            local listed = {}
            for i = 1, affected do
              local seat = ARGV[7 + i]
              listed[seat] = true
              if redis.call('HEXISTS', KEYS[3], seat) == 1 then
                busy[#busy + 1] = seat .. '=booked'
              elseif redis.call('EXISTS', KEYS[3 + i]) == 1 then
                busy[#busy + 1] = seat .. '=held'
              end
            end
            if takeover then
              local off = {}
              for _, seat in ipairs(redis.call('HKEYS', KEYS[3])) do
                if not listed[seat] then off[#off + 1] = seat end
              end
              table.sort(off)
              for _, seat in ipairs(off) do busy[#busy + 1] = seat .. '=booked' end
            end
            if #busy > 0 and ARGV[3] ~= '1' and not (wasDemo and demo) then return {'BUSY', unpack(busy)} end
            if ARGV[4] == '1' then return {'WOULD_CHANGE', unpack(busy)} end
            for i = 1, affected do
              local holder = redis.call('GET', KEYS[3 + i])
              if holder then freeHold(KEYS[3 + i], ARGV[7 + i], holder) end
            end
            local fields = tonumber(ARGV[8 + affected])
            local first = 9 + affected
            local fieldValues = {}
            for i = first, first + fields * 2 - 1 do fieldValues[#fieldValues + 1] = ARGV[i] end
            redis.call('HDEL', KEYS[1], 'withdrawn', 'demo')
            if demo then redis.call('HSET', KEYS[1], 'demo', '1') end
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(field, 1, 6) == 'price:' or string.sub(field, 1, 7) == 'ticket:'
                or field == 'ticket_types' or field == 'vat_bp' then
                redis.call('HDEL', KEYS[1], field)
              end
            end
            redis.call('HSET', KEYS[1], 'definition', digest, unpack(fieldValues))
            redis.call('DEL', KEYS[2])
            local layout = {}
            for i = first + fields * 2, #ARGV do
              layout[#layout + 1] = ARGV[i]
              if #layout == 1000 or i == #ARGV then
                redis.call('HSET', KEYS[2], unpack(layout))
                layout = {}
              end
            end
            redis.call('HINCRBY', KEYS[1], 'layout_version', 1)
            local forced = ''
            if #busy > 0 then forced = table.concat(busy, ' ') end
            audit('load', 'definition', digest, 'forced', forced)
            return {'CHANGED', unpack(busy)}
            """)

    /// Takes a show off sale (it left the programme), unless seats of it are booked or held; a forced withdrawal,
    /// or a demo show's (its hash has `demo`), frees the holds and keeps the bookings. The show's hash stays for its
    /// bookings, marked `withdrawn`.
    /// KEYS: show, sold, then one hold key per seat of the show, then its open sessions, hold index and audit
    /// stream.
    /// ARGV: definition digest the loader read, force, dry run, then the seats (same order as their keys).
    /// Replies: `CONFLICT` | `BUSY <seat>=<state>...` | `WOULD_CHANGE <demo|show> <seat>=<state>...`
    /// | `CHANGED <demo|show> <seat>=<state>...`.
    static let withdrawShow = RedisScript(
        name: "withdraw_show",
        source: prelude + """
            if (redis.call('HGET', KEYS[1], 'definition') or '') ~= ARGV[1] then return {'CONFLICT'} end
            local busy = {}
            for i = 4, #ARGV do
              if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then
                busy[#busy + 1] = ARGV[i] .. '=booked'
              elseif redis.call('EXISTS', KEYS[i - 1]) == 1 then
                busy[#busy + 1] = ARGV[i] .. '=held'
              end
            end
            local kind = 'show'
            if redis.call('HEXISTS', KEYS[1], 'demo') == 1 then kind = 'demo' end
            if #busy > 0 and ARGV[2] ~= '1' and kind ~= 'demo' then return {'BUSY', unpack(busy)} end
            if ARGV[3] == '1' then return {'WOULD_CHANGE', kind, unpack(busy)} end
            for i = 4, #ARGV do
              local holder = redis.call('GET', KEYS[i - 1])
              if holder then freeHold(KEYS[i - 1], ARGV[i], holder) end
            end
            redis.call('HSET', KEYS[1], 'withdrawn', int(now), 'definition', '')
            local forced = ''
            if #busy > 0 then forced = table.concat(busy, ' ') end
            audit('withdraw', 'forced', forced)
            return {'CHANGED', kind, unpack(busy)}
            """)
}
