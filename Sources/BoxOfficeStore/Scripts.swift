import RedisClient

/// The Lua scripts that enforce every seat rule atomically inside Redis.
///
/// Conventions: every key a script touches arrives in KEYS; time is Redis's own (`TIME`), so daemons with skewed
/// clocks agree; a script checks everything before it writes anything, because Redis does not roll a script
/// back; the first element of the reply says what happened.
enum Scripts {
    /// About how many entries each show's audit stream keeps (`XADD ... MAXLEN ~`).
    static let auditLength = 20_000
    /// How many HOLDs and RELEASEs that change something one session may make (each writes an audit entry).
    static let changesPerSession = 64

    /// Shared prelude: the current time in milliseconds, an integer formatter, a word splitter, the check that
    /// a session is open, which every script acting on a session makes first, the hold index's upkeep, and the
    /// audit trail's writer.
    static let prelude = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function int(n) return string.format('%.0f', n) end
        local function words(s)
          local list = {}
          for w in string.gmatch(s or '', '%S+') do list[#list + 1] = w end
          return list
        end
        -- The session's fields (state first, then those asked for) if it is OPEN, else the refusal to return.
        local function openSession(key, ...)
          local s = redis.call('HMGET', key, 'state', ...)
          if not s[1] then return nil, {'NO_SESSION'} end
          if s[1] == 'PAYING' then return nil, {'PAYING'} end
          if s[1] ~= 'OPEN' then return nil, {'NO_SESSION'} end
          return s
        end
        -- Every script on a show's seats takes three keys last: its open sessions, its hold index, its audit stream.
        -- The open sessions (a sorted set, scored by deadline) let a sweep expire sessions nobody watches any more.
        local openSessions = KEYS[#KEYS - 2]
        -- The index of holds: seat -> "<session> <deadline ms>", for SEATS to read cheaply. The hold keys stay the
        -- authority; an entry is written and removed by the same script as its key.
        local index = KEYS[#KEYS - 1]
        -- Its field '#changes' marks every script that changed the show's holds or sold seats (once a script), and
        -- '#sold' every script that changed its sold seats, so that a reader who knows a mark can tell that nothing
        -- changed since. A mark never repeats: it moves to the time in microseconds, or one past itself if that is
        -- not later. A mark lost or set back (the index deleted by hand, a failover that lost the last writes, an
        -- older backup) starts again from the time, past any mark a reader may remember.
        local marksMoved = {}
        local function moveMark(field)
          if marksMoved[field] then return end
          marksMoved[field] = true
          local mark = tonumber(redis.call('HGET', index, field) or '0')
          redis.call('HSET', index, field, int(math.max(mark + 1, tonumber(t[1]) * 1000000 + tonumber(t[2]))))
        end
        local function seatsChanged() moveMark('#changes') end
        local function salesChanged()
          moveMark('#changes')
          moveMark('#sold')
        end
        local function indexHold(seat, sid, deadline)
          redis.call('HSET', index, seat, sid .. ' ' .. int(deadline))
          seatsChanged()
        end
        local function unindexHold(seat, sid)
          local entry = redis.call('HGET', index, seat)
          if entry and string.sub(entry, 1, #sid + 1) == sid .. ' ' then
            redis.call('HDEL', index, seat)
            seatsChanged()
          end
        end
        -- Frees one seat the session may still hold: its hold key and its index entry, only if they are the session's.
        local function freeHold(key, seat, sid)
          if redis.call('GET', key) == sid then redis.call('DEL', key) end
          unindexHold(seat, sid)
        end
        -- Ends a session (`key`, id `sid`) as `state`: no seats any more, the time it ended, any further field/value
        -- pairs; it leaves the show's open sessions.
        local function endSession(key, sid, state, ...)
          redis.call('HSET', key, 'state', state, 'seats', '', 'ended', int(now), ...)
          redis.call('ZREM', openSessions, sid)
        end
        -- Appends one event to the show's audit stream (the last key): its name, then field/value pairs. The entry's
        -- id is Redis's time in milliseconds.
        local function audit(event, ...)
          redis.call('XADD', KEYS[#KEYS], 'MAXLEN', '~', '\(auditLength)', '*', 'event', event, ...)
        end

        """

    /// Opens a booking session on a show that is on sale (loaded and not withdrawn). Until it holds a seat its hash
    /// is kept only briefly after its deadline.
    /// KEYS: show, session, then the show's open sessions, hold index and audit stream.
    /// ARGV: session id, show id, user, kiosk, timeout ms, payment attempts, retention ms of a session that holds
    /// nothing.
    /// Replies: `OK <ms-left>` | `UNKNOWN_SHOW` | `SHOW_STARTED` | `COLLISION`.
    static let start = RedisScript(
        name: "start",
        source: prelude + """
            local show = redis.call('HMGET', KEYS[1], 'start_epoch', 'withdrawn')
            if not show[1] or show[2] then return {'UNKNOWN_SHOW'} end
            if now >= tonumber(show[1]) * 1000 then return {'SHOW_STARTED'} end
            if redis.call('EXISTS', KEYS[2]) == 1 then return {'COLLISION'} end
            local deadline = now + tonumber(ARGV[5])
            redis.call('HSET', KEYS[2], 'id', ARGV[1], 'show', ARGV[2], 'user', ARGV[3], 'kiosk', ARGV[4],
              'state', 'OPEN', 'created', int(now), 'deadline', int(deadline), 'clock', '0', 'seats', '',
              'attempts_left', ARGV[6], 'attempt', '0')
            redis.call('PEXPIREAT', KEYS[2], int(deadline + tonumber(ARGV[7])))
            redis.call('ZADD', openSessions, int(deadline), ARGV[1])
            return {'OK', int(deadline - now)}
            """)

    /// Takes back a live session after a reconnect: only its own user at its own kiosk, only while it is OPEN and
    /// within its deadline. To its owner it says, too, whether a session that is not open any more is still being
    /// paid for (or its payment voided) or was booked.
    /// KEYS: session, then the show's open sessions, hold index and audit stream. ARGV: user, kiosk.
    /// Replies: `OK <ms-left> <held seat>...` | `NO_SESSION` | `PAYING` | `BOOKED` | `EXPIRED`.
    static let resume = RedisScript(
        name: "resume",
        source: prelude + """
            local s = redis.call('HMGET', KEYS[1], 'state', 'user', 'kiosk', 'deadline', 'seats')
            if s[2] ~= ARGV[1] or s[3] ~= ARGV[2] then return {'NO_SESSION'} end
            if s[1] == 'PAYING' or s[1] == 'VOID' then return {'PAYING'} end
            if s[1] == 'BOOKED' then return {'BOOKED'} end
            if s[1] ~= 'OPEN' then return {'NO_SESSION'} end
            local deadline = tonumber(s[4])
            if now >= deadline then return {'EXPIRED'} end
            return {'OK', int(deadline - now), unpack(words(s[5]))}
            """)

    /// What `hold` and `replace` share, after the prelude: the checks on the session and its show before a seat
    /// changes (a refusal as second result), the requested seats someone else holds or bought (`new` lists positions
    /// in ARGV, their hold keys at the same position of KEYS moved by `offset`), and the session's clock, started
    /// at its first hold (returns the deadline).
    private static let seatChange = """
        local function changeableSession(sessionKey, showKey)
          local s, refusal = openSession(sessionKey, 'deadline', 'clock', 'seats', 'user', 'kiosk', 'changes')
          if not s then return nil, refusal end
          if now >= tonumber(s[2]) then return nil, {'EXPIRED'} end
          if tonumber(s[7] or '0') >= \(changesPerSession) then return nil, {'TOO_MANY_CHANGES', '\(changesPerSession)'} end
          local show = redis.call('HMGET', showKey, 'start_epoch', 'withdrawn')
          if not show[1] then return nil, {'NO_SESSION'} end
          if show[2] then return nil, {'UNKNOWN_SHOW'} end
          if now >= tonumber(show[1]) * 1000 then return nil, {'SHOW_STARTED'} end
          return s
        end
        local function takenByOthers(soldKey, sid, new, offset)
          local taken = {}
          for _, i in ipairs(new) do
            if redis.call('HEXISTS', soldKey, ARGV[i]) == 1 then
              taken[#taken + 1] = ARGV[i]
            else
              local owner = redis.call('GET', KEYS[i + offset])
              if owner and owner ~= sid then taken[#taken + 1] = ARGV[i] end
            end
          end
          return taken
        end
        local function startClock(sessionKey, sid, timeout)
          local deadline = now + timeout
          redis.call('HSET', sessionKey, 'clock', '1', 'deadline', int(deadline))
          redis.call('ZADD', openSessions, int(deadline), sid)
          return deadline
        end

        """

    /// Adds seats to a session's selection, all or none. Blocked seats are unavailable; a requested seat the session
    /// lists but whose hold was taken away (a forced programme load) is taken anew if it is free.
    /// KEYS: show, session, seats, sold, then one hold key per requested seat, then the show's open sessions, hold
    /// index and audit stream. ARGV: session id, timeout ms, max seats, retention ms, then the requested seats (same
    /// order as their keys).
    /// Replies: `OK <ms-left> <held seat>...` | `NO_SESSION` | `EXPIRED` | `PAYING` | `SHOW_STARTED` | `UNKNOWN_SHOW`
    /// (withdrawn) | `UNKNOWN_SEAT <seat>` | `SEAT_LIMIT <max>` | `SEATS_UNAVAILABLE <seat>...`
    /// | `TOO_MANY_CHANGES <max>`.
    static let hold = RedisScript(
        name: "hold",
        source: prelude + seatChange + """
            local sid = ARGV[1]
            local s, refusal = changeableSession(KEYS[2], KEYS[1])
            if not s then return refusal end
            local deadline = tonumber(s[2])
            local isHeld = {}
            for _, seat in ipairs(words(s[4])) do isHeld[seat] = true end
            local new = {}
            local blocked = {}
            for i = 5, #ARGV do
              local kind = redis.call('HGET', KEYS[3], ARGV[i])
              if not kind then return {'UNKNOWN_SEAT', ARGV[i]} end
              if kind == 'blocked' then blocked[#blocked + 1] = ARGV[i] end
              if isHeld[ARGV[i]] and redis.call('GET', KEYS[i]) ~= sid then isHeld[ARGV[i]] = false end
              if not isHeld[ARGV[i]] then new[#new + 1] = i end
            end
            if #blocked > 0 then return {'NOT_FOR_SALE', unpack(blocked)} end
            local held = {}
            for _, seat in ipairs(words(s[4])) do
              if isHeld[seat] then held[#held + 1] = seat end
            end
            if #held + #new > tonumber(ARGV[3]) then return {'SEAT_LIMIT', ARGV[3]} end
            local taken = takenByOthers(KEYS[4], sid, new, 0)
            if #taken > 0 then return {'SEATS_UNAVAILABLE', unpack(taken)} end
            if #new > 0 and s[3] == '0' then deadline = startClock(KEYS[2], sid, tonumber(ARGV[2])) end
            local added = {}
            for _, i in ipairs(new) do
              redis.call('SET', KEYS[i], sid, 'PXAT', int(deadline), 'NX')
              indexHold(ARGV[i], sid, deadline)
              held[#held + 1] = ARGV[i]
              added[#added + 1] = ARGV[i]
            end
            if #added > 0 then
              audit('hold', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', table.concat(added, ' '))
              redis.call('HINCRBY', KEYS[2], 'changes', 1)
            end
            redis.call('HSET', KEYS[2], 'seats', table.concat(held, ' '))
            redis.call('PEXPIREAT', KEYS[2], int(deadline + tonumber(ARGV[4])))
            return {'OK', int(deadline - now), unpack(held)}
            """)

    /// Gives seats of a session's selection back, all or none.
    /// KEYS: session, then one hold key per seat, then the show's open sessions, hold index and audit stream.
    /// ARGV: session id, then the seats (same order as their keys).
    /// Replies: `OK <ms-left> <seat still held>...` | `NO_SESSION` | `EXPIRED` | `PAYING` | `NOT_HELD <seat>...`
    /// | `TOO_MANY_CHANGES <max>`.
    static let release = RedisScript(
        name: "release",
        source: prelude + """
            local sid = ARGV[1]
            local s, refusal = openSession(KEYS[1], 'deadline', 'seats', 'user', 'kiosk', 'changes')
            if not s then return refusal end
            local deadline = tonumber(s[2])
            if now >= deadline then return {'EXPIRED'} end
            if tonumber(s[6] or '0') >= \(changesPerSession) then return {'TOO_MANY_CHANGES', '\(changesPerSession)'} end
            local releasing = {}
            for i = 2, #ARGV do releasing[ARGV[i]] = i end
            local isHeld = {}
            for _, seat in ipairs(words(s[3])) do isHeld[seat] = true end
            local missing = {}
            for i = 2, #ARGV do
              if not isHeld[ARGV[i]] then missing[#missing + 1] = ARGV[i] end
            end
            if #missing > 0 then return {'NOT_HELD', unpack(missing)} end
            local kept = {}
            for _, seat in ipairs(words(s[3])) do
              local i = releasing[seat]
              if i then
                freeHold(KEYS[i], seat, sid)
              else
                kept[#kept + 1] = seat
              end
            end
            redis.call('HSET', KEYS[1], 'seats', table.concat(kept, ' '))
            redis.call('HINCRBY', KEYS[1], 'changes', 1)
            audit('release', 'session', sid, 'user', s[4], 'kiosk', s[5], 'seats',
              table.concat({unpack(ARGV, 2)}, ' '))
            return {'OK', int(deadline - now), unpack(kept)}
            """)

    /// Makes a group of seats the session's whole selection in one step, all or none: holds the group's seats the
    /// session does not hold yet and frees the other seats it held. The checks are HOLD's, but the seat limit counts
    /// the group alone; on any refusal nothing changes and the seats held stay held. Audited as a `release` of the
    /// seats freed, then a `hold` of the seats added, both marked `replace 1`.
    /// KEYS: show, session, seats, sold, then one hold key per seat of the group, then one per other seat the caller
    /// believes held, then the show's open sessions, hold index and audit stream. ARGV: session id, timeout ms, max
    /// seats, retention ms, the group's size, then the group's seats, then the other seats (same order as their keys).
    /// Replies: as `hold`'s (`OK` lists exactly the group), and `RETRY <held seat>...` (the caller's list missed a
    /// seat; call again with these).
    static let replace = RedisScript(
        name: "replace",
        source: prelude + seatChange + """
            local sid = ARGV[1]
            local s, refusal = changeableSession(KEYS[2], KEYS[1])
            if not s then return refusal end
            local deadline = tonumber(s[2])
            local n = tonumber(ARGV[5])
            local last = 5 + n
            local keyOf, inGroup = {}, {}
            for i = last + 1, #ARGV do keyOf[ARGV[i]] = KEYS[i - 1] end
            for i = 6, last do
              keyOf[ARGV[i]] = KEYS[i - 1]
              inGroup[ARGV[i]] = true
            end
            local before = words(s[4])
            for _, seat in ipairs(before) do
              if not keyOf[seat] then return {'RETRY', unpack(before)} end
            end
            local isHeld = {}
            for _, seat in ipairs(before) do isHeld[seat] = true end
            local new = {}
            local blocked = {}
            for i = 6, last do
              local kind = redis.call('HGET', KEYS[3], ARGV[i])
              if not kind then return {'UNKNOWN_SEAT', ARGV[i]} end
              if kind == 'blocked' then blocked[#blocked + 1] = ARGV[i] end
              if not (isHeld[ARGV[i]] and redis.call('GET', KEYS[i - 1]) == sid) then new[#new + 1] = i end
            end
            if #blocked > 0 then return {'NOT_FOR_SALE', unpack(blocked)} end
            if n > tonumber(ARGV[3]) then return {'SEAT_LIMIT', ARGV[3]} end
            local taken = takenByOthers(KEYS[4], sid, new, -1)
            if #taken > 0 then return {'SEATS_UNAVAILABLE', unpack(taken)} end
            if #new > 0 and s[3] == '0' then deadline = startClock(KEYS[2], sid, tonumber(ARGV[2])) end
            local released = {}
            for _, seat in ipairs(before) do
              if not inGroup[seat] then
                freeHold(keyOf[seat], seat, sid)
                released[#released + 1] = seat
              end
            end
            local added = {}
            for _, i in ipairs(new) do
              redis.call('SET', KEYS[i - 1], sid, 'PXAT', int(deadline), 'NX')
              indexHold(ARGV[i], sid, deadline)
              added[#added + 1] = ARGV[i]
            end
            if #released > 0 then
              audit('release', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', table.concat(released, ' '),
                'replace', '1')
            end
            if #added > 0 then
              audit('hold', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', table.concat(added, ' '),
                'replace', '1')
            end
            if #released > 0 or #added > 0 then redis.call('HINCRBY', KEYS[2], 'changes', 1) end
            local group = {unpack(ARGV, 6, last)}
            redis.call('HSET', KEYS[2], 'seats', table.concat(group, ' '))
            redis.call('PEXPIREAT', KEYS[2], int(deadline + tonumber(ARGV[4])))
            return {'OK', int(deadline - now), unpack(group)}
            """)

    /// Ends an open session and frees its seats at once: CLOSE, LOGOUT, QUIT, a START elsewhere, and expiry.
    /// KEYS: session, then one hold key per seat the caller believes held, then the show's open sessions, hold index
    /// and audit stream. ARGV: session id, end state (`CLOSED` or `EXPIRED`), retention ms, retention ms of a
    /// session that never held a seat, then those seats.
    /// With `EXPIRED` it ends the session only once its deadline has passed.
    /// Replies: `OK` | `NO_SESSION` | `PAYING` | `LIVE <ms-left>` | `RETRY <held seat>...` (the caller's list
    /// missed a seat; call again with these).
    static let close = RedisScript(
        name: "close",
        source: prelude + """
            local sid = ARGV[1]
            local s, refusal = openSession(KEYS[1], 'deadline', 'seats', 'user', 'kiosk', 'clock')
            if not s then return refusal end
            local deadline = tonumber(s[2])
            if ARGV[2] == 'EXPIRED' and now < deadline then return {'LIVE', int(deadline - now)} end
            local keyOf = {}
            for i = 5, #ARGV do keyOf[ARGV[i]] = KEYS[i - 3] end
            local held = words(s[3])
            for _, seat in ipairs(held) do
              if not keyOf[seat] then return {'RETRY', unpack(held)} end
            end
            for _, seat in ipairs(held) do
              freeHold(keyOf[seat], seat, sid)
            end
            endSession(KEYS[1], sid, ARGV[2])
            local retention = ARGV[3]
            if s[6] == '0' then retention = ARGV[4] end
            redis.call('PEXPIREAT', KEYS[1], int(now + tonumber(retention)))
            local event = 'close'
            if ARGV[2] == 'EXPIRED' then event = 'expire' end
            audit(event, 'session', sid, 'user', s[4], 'kiosk', s[5], 'seats', s[3])
            return {'OK'}
            """)

    /// Step 1 of PAY: checks every held seat still belongs to the session, prices them, marks the session PAYING
    /// and extends its holds by the payment grace period. The session hash stops expiring until its payment is
    /// settled.
    /// KEYS: show, session, paying set, seats, then one hold key per seat the caller believes held, then the show's
    /// open sessions, hold index and audit stream. ARGV: session id, grace ms, the amount and currency the customer
    /// was shown (both empty when not known), the ticket types chosen (as for `quote`), then those seats.
    /// It prices the seats with those types, refusing as `quote` does when they break a rule, and keeps each seat's
    /// type and price (`tickets`) and the VAT part (`vat`) in the session for `confirm` to write into the booking.
    /// A PAYING session leaves the show's open sessions: the payment sweep looks after it.
    /// Replies: `OK <attempt> <amount> <currency> <seat>...` | `NO_SESSION` | `EXPIRED` | `PAYING` | `NOTHING_HELD`
    /// | `SHOW_STARTED` | `UNKNOWN_SHOW` (withdrawn) | `HOLD_LOST <seat>...` | `RETRY <held seat>...`
    /// | `NO_PRICE <kind>` | `PRICE_CHANGED <amount> <currency>` (not what the customer was shown; nothing changed)
    /// | the ticket refusals of `quote`.
    static let beginPayment = RedisScript(
        name: "begin_payment",
        source: prelude + ticketPricing + """
            local sid = ARGV[1]
            local s, refusal = openSession(KEYS[2], 'deadline', 'seats', 'attempt', 'user', 'kiosk')
            if not s then return refusal end
            local deadline = tonumber(s[2])
            if now >= deadline then return {'EXPIRED'} end
            local held = words(s[3])
            if #held == 0 then return {'NOTHING_HELD'} end
            local show = redis.call('HMGET', KEYS[1], 'start_epoch', 'withdrawn')
            if not show[1] or now >= tonumber(show[1]) * 1000 then return {'SHOW_STARTED'} end
            if show[2] then return {'UNKNOWN_SHOW'} end
            local keyOf = {}
            for i = 6, #ARGV do keyOf[ARGV[i]] = KEYS[i - 1] end
            for _, seat in ipairs(held) do
              if not keyOf[seat] then return {'RETRY', unpack(held)} end
            end
            local lost = {}
            for _, seat in ipairs(held) do
              if redis.call('GET', keyOf[seat]) ~= sid then lost[#lost + 1] = seat end
            end
            if #lost > 0 then return {'HOLD_LOST', unpack(lost)} end
            local priced, refused = priceTickets(KEYS[1], KEYS[4], held, ARGV[5])
            if not priced then return refused end
            local amount, currency = priced.total, priced.currency
            if ARGV[3] ~= '' and (tonumber(ARGV[3]) ~= amount or ARGV[4] ~= currency) then
              return {'PRICE_CHANGED', int(amount), currency}
            end
            local attempt = tonumber(s[4]) + 1
            local payUntil = now + tonumber(ARGV[2])
            if payUntil > deadline then
              for _, seat in ipairs(held) do
                redis.call('PEXPIREAT', keyOf[seat], int(payUntil))
                indexHold(seat, sid, payUntil)
              end
            end
            redis.call('HSET', KEYS[2], 'state', 'PAYING', 'attempt', int(attempt), 'pay_until', int(payUntil),
              'amount', int(amount), 'currency', currency, 'tickets', priced.tickets, 'vat', int(priced.vat))
            redis.call('SADD', KEYS[3], sid)
            redis.call('ZREM', openSessions, sid)
            redis.call('PERSIST', KEYS[2])
            audit('pay', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', s[3], 'attempt', int(attempt),
              'amount', int(amount), 'currency', currency, 'tickets', priced.tickets)
            return {'OK', int(attempt), int(amount), currency, unpack(held)}
            """)

    /// After a declined authorization: the session goes back to OPEN with its seats and original deadline, or,
    /// with no attempts or time left, ends and frees its seats at once.
    /// KEYS: session, paying set, then one hold key per held seat, then the show's open sessions, hold index and
    /// audit stream.
    /// ARGV: session id, attempt, retention ms, decline reason, then the held seats (same order as their keys).
    /// Replies: `OPEN <attempts-left> <ms-left>` | `ENDED 0 <end state>` | `STALE` (the attempt was taken over).
    static let failPayment = RedisScript(
        name: "fail_payment",
        source: prelude + """
            local sid = ARGV[1]
            local s = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'attempts_left', 'deadline', 'user', 'kiosk',
              'seats')
            if s[1] ~= 'PAYING' or s[2] ~= ARGV[2] then return {'STALE'} end
            local left = tonumber(s[3]) - 1
            local deadline = tonumber(s[4])
            redis.call('SREM', KEYS[2], sid)
            audit('decline', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', s[7], 'attempt', ARGV[2],
              'reason', ARGV[4])
            if left <= 0 or now >= deadline then
              for i = 3, #KEYS - 3 do
                freeHold(KEYS[i], ARGV[i + 2], sid)
              end
              local ending = 'CLOSED'
              if left > 0 then ending = 'EXPIRED' end
              endSession(KEYS[1], sid, ending, 'attempts_left', int(math.max(left, 0)))
              audit(ending == 'EXPIRED' and 'expire' or 'close', 'session', sid, 'user', s[5],
                'kiosk', s[6], 'seats', s[7])
              redis.call('PEXPIREAT', KEYS[1], int(now + tonumber(ARGV[3])))
              return {'ENDED', '0', ending}
            end
            for i = 3, #KEYS - 3 do
              if redis.call('GET', KEYS[i]) == sid then
                redis.call('PEXPIREAT', KEYS[i], int(deadline))
                indexHold(ARGV[i + 2], sid, deadline)
              end
            end
            redis.call('HSET', KEYS[1], 'state', 'OPEN', 'attempts_left', int(left))
            redis.call('ZADD', openSessions, int(deadline), sid)
            redis.call('PEXPIREAT', KEYS[1], int(deadline + tonumber(ARGV[3])))
            return {'OPEN', int(left), int(deadline - now)}
            """)

    /// Step 3 of PAY: confirms the booking, only if every hold still carries the session's id and the payment's
    /// grace period has not run out. Writes each seat into the show's sold hash (a seat sold once stays sold),
    /// deletes the holds and writes the booking hash, with each seat's ticket type and price as PAY chose them. On failure the session is marked VOID: its authorization
    /// must be voided. Idempotent by the attempt: run again for an attempt it confirmed, it answers the booking made
    /// then with its ticket code, and for one it refused, `HOLD_LOST` again; either way it writes nothing. The ticket
    /// code goes into the booking (`ticket`), the session and the show's tickets hash (code → booking id).
    /// KEYS: session, sold, booking, tickets, then one hold key per seat, then the show's open sessions, hold index
    /// and audit stream.
    /// ARGV: session id, attempt, booking id, show id, amount, currency, payment key, show start, ticket code, then
    /// the seats.
    /// Replies: `OK <booking id> <ticket code>` | `HOLD_LOST` | `COLLISION` (the booking id or ticket code exists;
    /// nothing was written).
    static let confirm = RedisScript(
        name: "confirm",
        source: prelude + """
            local sid = ARGV[1]
            local s = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'pay_until', 'seats', 'user', 'kiosk', 'booking',
              'ticket')
            if s[2] ~= ARGV[2] then return {'HOLD_LOST'} end
            if s[1] == 'BOOKED' then return {'OK', s[7], s[8] or ''} end
            if s[1] ~= 'PAYING' then return {'HOLD_LOST'} end
            local seats = {}
            for i = 10, #ARGV do seats[#seats + 1] = ARGV[i] end
            local sound = now <= tonumber(s[3]) and table.concat(seats, ' ') == s[4]
            if sound then
              for i, seat in ipairs(seats) do
                if redis.call('GET', KEYS[i + 4]) ~= sid or redis.call('HEXISTS', KEYS[2], seat) == 1 then
                  sound = false
                end
              end
            end
            if not sound then
              for i, seat in ipairs(seats) do
                freeHold(KEYS[i + 4], seat, sid)
              end
              endSession(KEYS[1], sid, 'VOID')
              audit('hold_lost', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', s[4], 'attempt', ARGV[2])
              return {'HOLD_LOST'}
            end
            if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('HEXISTS', KEYS[4], ARGV[9]) == 1 then
              return {'COLLISION'}
            end
            for i, seat in ipairs(seats) do
              redis.call('HSET', KEYS[2], seat, ARGV[3])
              redis.call('DEL', KEYS[i + 4])
              unindexHold(seat, sid)
            end
            salesChanged()
            redis.call('HSET', KEYS[3], 'id', ARGV[3], 'show', ARGV[4], 'start', ARGV[8], 'user', s[5],
              'kiosk', s[6], 'session', sid, 'seats', s[4], 'amount', ARGV[5], 'currency', ARGV[6],
              'payment', ARGV[7], 'payment_state', 'AUTHORIZED', 'created', int(now), 'ticket', ARGV[9])
            redis.call('HSET', KEYS[4], ARGV[9], ARGV[3])
            local tickets = redis.call('HMGET', KEYS[1], 'tickets', 'vat')
            if tickets[1] then redis.call('HSET', KEYS[3], 'tickets', tickets[1], 'vat', tickets[2] or '0') end
            redis.call('HSET', KEYS[1], 'state', 'BOOKED', 'booking', ARGV[3], 'ticket', ARGV[9], 'ended', int(now))
            redis.call('ZREM', openSessions, sid)
            audit('confirm', 'session', sid, 'user', s[5], 'kiosk', s[6], 'seats', s[4], 'booking', ARGV[3],
              'amount', ARGV[5], 'currency', ARGV[6])
            return {'OK', ARGV[3], ARGV[9]}
            """)

    /// Reconciliation: takes over a session left PAYING past its grace period, marking it VOID so that no late
    /// confirmation can succeed, and frees its seats; its authorization can then be voided.
    /// KEYS: session, then one hold key per seat the caller believes the session holds, then the show's open
    /// sessions, hold index and audit stream.
    /// ARGV: session id, then those seats (same order as their keys).
    /// Replies: `TAKEN <attempt>` (taken over now) | `LEFT <state>` (left alone: still in time, or not PAYING)
    /// | `RETRY <held seat>...` (the caller's list missed a seat; call again with these) | `GONE`.
    static let abandonPayment = RedisScript(
        name: "abandon_payment",
        source: prelude + """
            local s = redis.call('HMGET', KEYS[1], 'state', 'pay_until', 'attempt', 'user', 'kiosk', 'seats')
            if not s[1] then return {'GONE'} end
            if s[1] ~= 'PAYING' or now <= tonumber(s[2]) then return {'LEFT', s[1]} end
            local keyOf = {}
            for i = 2, #ARGV do keyOf[ARGV[i]] = KEYS[i] end
            local held = words(s[6])
            for _, seat in ipairs(held) do
              if not keyOf[seat] then return {'RETRY', unpack(held)} end
            end
            for _, seat in ipairs(held) do
              freeHold(keyOf[seat], seat, ARGV[1])
            end
            endSession(KEYS[1], ARGV[1], 'VOID')
            audit('abandon', 'session', ARGV[1], 'user', s[4], 'kiosk', s[5], 'seats', s[6], 'attempt', s[3])
            return {'TAKEN', s[3]}
            """)

    /// Records that the gateway captured a booking's payment, once however often it runs: the booking's
    /// `payment_state` becomes CAPTURED (audited `capture` the first time), and the session leaves the `paying` set
    /// and expires after its retention.
    /// KEYS: booking, session, paying set, audit stream. ARGV: session id, retention ms. Replies: `OK` | `GONE`.
    static let settleCaptured = RedisScript(
        name: "settle_captured",
        source: """
            local state = redis.call('HGET', KEYS[1], 'payment_state')
            if not state then return {'GONE'} end
            if state ~= 'CAPTURED' then
              redis.call('HSET', KEYS[1], 'payment_state', 'CAPTURED')
              redis.call('XADD', KEYS[4], 'MAXLEN', '~', '\(auditLength)', '*', 'event', 'capture',
                'session', ARGV[1], 'booking', redis.call('HGET', KEYS[1], 'id'))
            end
            redis.call('SREM', KEYS[3], ARGV[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return {'OK'}
            """)

    /// Records that the gateway voided a session's authorization: a VOID session becomes CLOSED (audited `void`),
    /// leaves the `paying` set and expires after its retention. Anything else, a BOOKED session above all, is left
    /// as it is, so a void recorded twice, or late, changes nothing.
    /// KEYS: session, paying set, audit stream. ARGV: session id, retention ms.
    /// Replies: `OK` (recorded now or before) | `LEFT <state>`.
    static let settleVoided = RedisScript(
        name: "settle_voided",
        source: """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state == 'VOID' then
              redis.call('HSET', KEYS[1], 'state', 'CLOSED', 'end_reason', 'VOIDED')
              redis.call('XADD', KEYS[3], 'MAXLEN', '~', '\(auditLength)', '*', 'event', 'void', 'session', ARGV[1])
            elseif state ~= 'CLOSED' then
              return {'LEFT', tostring(state)}
            end
            redis.call('SREM', KEYS[2], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {'OK'}
            """)

    /// Reconciliation: removes a session from its show's `paying` set, but only if it needs no settling (it is
    /// not PAYING, VOID or BOOKED-but-uncaptured), so a payment that started again meanwhile is never dropped.
    /// KEYS: session, paying set. ARGV: session id. Replies: 1 forgotten, 0 left alone.
    static let forgetSettled = RedisScript(
        name: "forget_settled",
        source: """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state == 'PAYING' or state == 'VOID' or state == 'BOOKED' then return 0 end
            redis.call('SREM', KEYS[2], ARGV[1])
            return 1
            """)

    /// The time on the node serving a key's slot (`TIME`, routed like the key), so that deadlines written by a show's
    /// scripts are compared with the clock that wrote them. KEYS: any key of the slot. Replies: as `TIME`.
    static let clock = RedisScript(name: "clock", source: "return redis.call('TIME')")

    /// What SEATS reads, in one step: the show's layout version, Redis's time, the mark of changes to its holds and
    /// sold seats (`#changes`), and, unless that mark is the one the caller already read, the hold index, the mark
    /// of changes to its sold seats (`#sold`), and, unless that one too is the caller's (and set), the sold seats.
    /// KEYS: show, hold index, sold. ARGV: the `#changes` and `#sold` marks the caller knows (`''` for none).
    /// Replies: `<layout-version or ''> <now-ms> <changes>` [`{<hold index field/value>...}` `<sold-mark>`
    /// [`{<sold seat>...}`]].
    static let seatState = RedisScript(
        name: "seat_state",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local version = redis.call('HGET', KEYS[1], 'layout_version') or ''
            local changes = redis.call('HGET', KEYS[2], '#changes') or '0'
            if changes == ARGV[1] then return {version, now, changes} end
            local index = redis.call('HGETALL', KEYS[2])
            -- No '#sold' (no sale since the index began, or the index was lost): the sold seats are always read.
            local sold = redis.call('HGET', KEYS[2], '#sold') or ''
            if sold ~= '' and sold == ARGV[2] then return {version, now, changes, index, sold} end
            return {version, now, changes, index, sold, redis.call('HKEYS', KEYS[3])}
            """)

    /// A write to a hash that exists (a booking, a session), for WAIT to count replicas by: it counts the checks made.
    /// KEYS: the hash. Replies: 1 marked | 0 no such hash (nothing written).
    static let markReplicated = RedisScript(
        name: "mark_replicated",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HINCRBY', KEYS[1], 'replica_checks', 1)
            return 1
            """)

    /// Registers a user unless the name is taken.
    /// KEYS: user. ARGV: user name, password hash, created (ISO 8601). Replies: 1 created, 0 taken.
    static let createUser = RedisScript(
        name: "create_user",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'username', ARGV[1], 'password_hash', ARGV[2], 'created', ARGV[3])
            return 1
            """)

    /// Points a customer's `session` field at a new session, but only if it still names the one the caller read
    /// (and closed): so of two STARTs at once, one wins and the other tries again.
    /// KEYS: user. ARGV: the pointer read (`<show>/<session>`, or empty), the new one.
    /// Replies: `OK` | `CHANGED <pointer now>` | `NO_USER`.
    static let claimSession = RedisScript(
        name: "claim_session",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_USER'} end
            local current = redis.call('HGET', KEYS[1], 'session') or ''
            if current ~= ARGV[1] then return {'CHANGED', current} end
            redis.call('HSET', KEYS[1], 'session', ARGV[2])
            return {'OK'}
            """)

    /// Admits a START against the customer's and the kiosk's limits of sessions opened per window, and the kiosk's
    /// limit of sessions open at once, counting it in all three.
    /// KEYS: the customer's counter, the kiosk's counter, the kiosk's open sessions (scored by when they end at the
    /// latest). ARGV: customer limit, kiosk limit, window ms, open limit, session id, longest life ms.
    /// Replies: `OK` (counted) | `WAIT <ms>` (nothing counted).
    static let admitStart = RedisScript(
        name: "admit_start",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for i = 1, 2 do
              if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
                return {'WAIT', string.format('%.0f', math.max(redis.call('PTTL', KEYS[i]), 1))}
              end
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
            if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then
              local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
              return {'WAIT', string.format('%.0f', math.max(tonumber(first[2]) - now, 1))}
            end
            for i = 1, 2 do
              redis.call('INCR', KEYS[i])
              redis.call('PEXPIRE', KEYS[i], ARGV[3], 'NX')
            end
            redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), ARGV[5])
            redis.call('PEXPIRE', KEYS[3], ARGV[6])
            return {'OK'}
            """)

    /// Shared by the admission scripts: the time in ms, the growing wait, and the password-check counter.
    static let admissionPrelude = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function int(n) return string.format('%.0f', n) end
        -- The wait after the `n`th attempt: none within the first `free`, then `first` doubling up to `longest`.
        local function wait(n, free, first, longest)
          if n < free then return 0 end
          return math.min(first * 2 ^ (n - free), longest)
        end
        -- Whether the kiosk may check one more password this minute (KEYS checks counter, limit); counts it if so.
        local function checkAllowed(key, limit)
          if tonumber(redis.call('GET', key) or '0') >= limit then return false end
          redis.call('INCR', key)
          redis.call('PEXPIRE', key, 60000, 'NX')
          return true
        end

        """

    /// Admits a login attempt, counting it against the name at the kiosk and against the kiosk before the password
    /// is checked (a success takes it back: `login_succeeded`), so concurrent attempts cannot pass a limit.
    /// KEYS: the name's attempts at the kiosk, the kiosk's failures, the kiosk's password checks.
    /// ARGV: free attempts per name, free failures per kiosk, first wait ms, longest wait per name ms, longest
    /// wait per kiosk ms, how long a name's attempts are remembered ms, the kiosk's window ms, password checks a
    /// minute. Replies: `OK` (counted) | `WAIT <ms>` (nothing counted).
    static let admitLogin = RedisScript(
        name: "admit_login",
        source: admissionPrelude + """
            local user = redis.call('HMGET', KEYS[1], 'attempts', 'not_before')
            local kiosk = redis.call('HMGET', KEYS[2], 'attempts', 'not_before')
            local notBefore = math.max(tonumber(user[2] or '0'), tonumber(kiosk[2] or '0'))
            if notBefore > now then return {'WAIT', int(notBefore - now)} end
            local checks = tonumber(redis.call('GET', KEYS[3]) or '0')
            if checks >= tonumber(ARGV[8]) then return {'WAIT', int(math.max(redis.call('PTTL', KEYS[3]), 1))} end
            checkAllowed(KEYS[3], tonumber(ARGV[8]))
            local n = tonumber(user[1] or '0') + 1
            local userWait = wait(n, tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4]))
            redis.call('HSET', KEYS[1], 'attempts', int(n), 'wait', int(userWait), 'not_before', int(now + userWait))
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            local k = tonumber(kiosk[1] or '0') + 1
            local kioskWait = wait(k, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5]))
            redis.call('HSET', KEYS[2], 'attempts', int(k), 'wait', int(kioskWait), 'not_before', int(now + kioskWait))
            redis.call('PEXPIRE', KEYS[2], ARGV[7], 'NX')
            return {'OK'}
            """)

    /// After a successful login: forgets the name's attempts at the kiosk and takes one back from the kiosk's.
    /// KEYS: the name's attempts at the kiosk, the kiosk's failures. Replies: `OK`.
    static let loginSucceeded = RedisScript(
        name: "login_succeeded",
        source: """
            redis.call('DEL', KEYS[1])
            if tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0') > 0 then
              redis.call('HINCRBY', KEYS[2], 'attempts', -1)
            end
            return {'OK'}
            """)

    /// Admits a registration, counting it against the kiosk's registrations and password checks before the name is
    /// looked up, so that asking whether names exist costs the same as registering them.
    /// KEYS: the kiosk's registration counter, the kiosk's password checks. ARGV: limit, window ms, password checks
    /// a minute. Replies: `OK` (counted) | `WAIT <ms>` (nothing counted).
    static let admitRegistration = RedisScript(
        name: "admit_registration",
        source: admissionPrelude + """
            if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
              return {'WAIT', int(math.max(redis.call('PTTL', KEYS[1]), 1))}
            end
            if not checkAllowed(KEYS[2], tonumber(ARGV[3])) then
              return {'WAIT', int(math.max(redis.call('PTTL', KEYS[2]), 1))}
            end
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2], 'NX')
            return {'OK'}
            """)
}
