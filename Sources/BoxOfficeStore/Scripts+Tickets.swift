import RedisClient

extension Scripts {
    /// What `quote` and `begin_payment` add to the prelude: the price of a session's seats with the ticket types the
    /// customer chose, and the show's rules on them (docs/REDIS.md, "Ticket types"), checked in the same script that
    /// quotes or starts the payment.
    static let ticketPricing = """
        -- What `seats` cost with the ticket types `request` chose ('<kind>:<type>=<count> ...'; '' sells every seat
        -- as the show's default type, the first of its `ticket_types`, `adult` when it names none). Returns a table
        -- {total, currency, rate (VAT basis points, or nil), vat (the VAT part of total), lines ({kind, type, count,
        -- unit} per kind held, kinds in alphabetical order, types in the show's order), tickets ('<seat>=<type>:<unit>
        -- ...')}, or nil and the refusal. Prices include VAT; the VAT part is taken from the total, rounded half up.
        local function priceTickets(showKey, seatsKey, seats, request)
          local show = redis.call('HMGET', showKey, 'ticket_types', 'vat_bp', 'rating', 'currency')
          local types = words(show[1])
          if #types == 0 then types = {'adult'} end
          local rank = {}
          for i, type in ipairs(types) do rank[type] = i end
          local held, kinds = {}, {}
          for _, seat in ipairs(seats) do
            local kind = redis.call('HGET', seatsKey, seat) or 'standard'
            if not held[kind] then
              held[kind] = {}
              kinds[#kinds + 1] = kind
            end
            table.insert(held[kind], seat)
          end
          table.sort(kinds)
          local chosen, named, companions = {}, {}, 0
          local asked = words(request)
          if #asked == 0 then
            for _, kind in ipairs(kinds) do chosen[kind] = {[types[1]] = #held[kind]} end
          end
          for _, entry in ipairs(asked) do
            local kind, type, count = string.match(entry, '^(%l+):([%w_-]+)=(%d+)$')
            if not rank[type] then return nil, {'UNKNOWN_TICKET_TYPE', type} end
            local rule = redis.call('HMGET', showKey, 'ticket:' .. type .. ':ratings', 'ticket:' .. type .. ':' .. kind,
              'ticket:' .. type .. ':companion')
            if rule[1] then
              local rating = show[3] or ''
              if rating == '' then rating = '-' end
              local allowed = false
              for _, r in ipairs(words(rule[1])) do allowed = allowed or r == rating end
              if not allowed then return nil, {'TICKET_RATING', type, rating} end
            end
            if rank[type] > 1 and not rule[2] then return nil, {'TICKET_KIND', type, kind} end
            if not chosen[kind] then
              chosen[kind] = {}
              named[#named + 1] = kind
            end
            chosen[kind][type] = tonumber(count)
            if rule[3] == '1' then companions = companions + tonumber(count) end
          end
          for _, kind in ipairs(kinds) do
            local sum = 0
            for _, count in pairs(chosen[kind] or {}) do sum = sum + count end
            if sum ~= #held[kind] then return nil, {'TICKET_COUNT', kind, int(#held[kind])} end
          end
          for _, kind in ipairs(named) do
            if not held[kind] then return nil, {'TICKET_COUNT', kind, '0'} end
          end
          local spaces = #(held['wheelchair'] or {})
          if companions > spaces then return nil, {'TOO_MANY_COMPANIONS', int(spaces)} end
          local total, lines, tickets = 0, {}, {}
          for _, kind in ipairs(kinds) do
            local first = 1
            for _, type in ipairs(types) do
              local count = chosen[kind][type]
              if count then
                local field = 'ticket:' .. type .. ':' .. kind
                if rank[type] == 1 then field = 'price:' .. kind end
                local unit = tonumber(redis.call('HGET', showKey, field))
                if not unit then return nil, {'NO_PRICE', kind} end
                total = total + unit * count
                lines[#lines + 1] = {kind, type, count, unit}
                for i = first, first + count - 1 do
                  tickets[#tickets + 1] = held[kind][i] .. '=' .. type .. ':' .. int(unit)
                end
                first = first + count
              end
            end
          end
          local rate = tonumber(show[2])
          local vat = 0
          if rate then vat = total - math.floor((total * 20000 + 10000 + rate) / (2 * (10000 + rate))) end
          return {total = total, currency = show[4] or '', rate = rate, vat = vat, lines = lines,
            tickets = table.concat(tickets, ' ')}
        end

        """

    /// Prices the seats a session holds with the ticket types chosen, at the show's current prices; reads only.
    /// KEYS: show, session, seats, then the show's open sessions, hold index and audit stream. ARGV: the ticket
    /// types chosen (`<kind>:<type>=<count> ...`, `''` for the default type).
    /// Replies: `OK <total> <currency> <VAT basis points or ''> <VAT part> [<kind> <type> <count> <unit price>]...`
    /// | `NO_SESSION` | `PAYING` | `EXPIRED` | `NO_PRICE <kind>` | `UNKNOWN_TICKET_TYPE <type>`
    /// | `TICKET_RATING <type> <rating>` | `TICKET_KIND <type> <kind>` | `TICKET_COUNT <kind> <held>`
    /// | `TOO_MANY_COMPANIONS <allowed>`.
    static let quote = RedisScript(
        name: "quote",
        source: prelude + ticketPricing + """
            local s, refusal = openSession(KEYS[2], 'deadline', 'seats')
            if not s then return refusal end
            if now >= tonumber(s[2]) then return {'EXPIRED'} end
            local priced, refused = priceTickets(KEYS[1], KEYS[3], words(s[3]), ARGV[1])
            if not priced then return refused end
            local reply = {'OK', int(priced.total), priced.currency, priced.rate and int(priced.rate) or '',
              int(priced.vat)}
            for _, line in ipairs(priced.lines) do
              reply[#reply + 1] = line[1]
              reply[#reply + 1] = line[2]
              reply[#reply + 1] = int(line[3])
              reply[#reply + 1] = int(line[4])
            end
            return reply
            """)
}
