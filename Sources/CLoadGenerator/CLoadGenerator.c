// The load generator declared in include/CLoadGenerator.h: one thread, level-triggered epoll, one request in flight
// per connection.
#define _GNU_SOURCE
#include "CLoadGenerator.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/// What the event loop is driving the connections through.
typedef enum { STAGE_OPEN, STAGE_RUN, STAGE_FINISH } stage;

/// No request in flight.
#define NONE UINT32_MAX
/// The greeting, read before the first request.
#define GREETING (UINT32_MAX - 1)
/// A connection that heard nothing for this long fails the run.
#define SILENCE_LIMIT_NS (30ull * 1000000000ull)
/// Busy refusals a prologue request may meet before the connection gives up.
#define BUSY_RETRIES 200
/// Connections opened and taken through their prologue at a time: a daemon sheds the oldest of too many
/// connections from one address that have not identified their kiosk yet (16 by default).
#define OPEN_BATCH 8

typedef struct {
    int fd;
    uint32_t number;
    uint8_t *bytes;
    bo_load_request *requests;
    uint32_t prologue, cycle_end, count;
    uint32_t *token_offsets;
    uint32_t token_count;
    /// The plan's hot seats (` K18 K19 `), or NULL.
    char *hot_seats;
    size_t hot_seats_length;
    uint32_t cycles;
    /// The request to send next.
    uint32_t next;
    /// The request waiting for its replies, GREETING, or NONE.
    uint32_t in_flight;
    uint32_t replies_left;
    /// The first refusal among the in-flight request's replies: where its text is in `in`, and how long.
    int refused;
    char refusal[256];
    uint64_t sent_at;
    /// When a busy prologue request is sent again (0: not waiting).
    uint64_t retry_at;
    uint32_t retries;
    /// Whether the last SEATS reply (BO_LOAD_CHOOSE_SEATS) had no seat free.
    int no_seats;
    /// The seats chosen last, each after a space.
    char chosen[128];
    size_t chosen_length;
    /// The request being written: `bytes`, or `out` for a request with the chosen seats.
    const uint8_t *sending;
    uint8_t *out;
    size_t out_capacity;
    /// The part of the in-flight request not written yet, as offsets in `sending`.
    uint32_t unwritten, request_end;
    /// Bytes read and not yet consumed by a reply; `scanned` is where the kiosk framing's next line starts.
    uint8_t *in;
    size_t in_length, in_capacity, scanned;
    /// The kiosk reply's final line, found by next_reply: where it starts in `in`, and its length without the LF.
    size_t final_start, final_length;
    /// Whether the connection is done with the current stage.
    int finished;
} connection;

/// An available seat in a SEATS reply, while choosing: where its id is in the reply, how many of its first characters
/// name its row, and its number.
typedef struct {
    uint32_t offset;
    uint8_t length;
    uint8_t row_length;
    uint32_t number;
} free_seat;

struct bo_load {
    bo_load_protocol protocol;
    int epoll;
    connection *connections;
    uint32_t count;
    /// Room to choose seats in: the available seats of a SEATS reply, and where each row's first is among them.
    free_seat *seats;
    uint32_t *row_starts;
    size_t seats_capacity;
};

/// Where a stage counts its replies: the result, the room its arrays have, and which refusals are expected.
typedef struct {
    bo_load_result *result;
    size_t capacity[BO_LOAD_KINDS];
    size_t kept_capacity;
    const char *const *expected;
    uint32_t expected_count;
} tally;

static uint64_t now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000ull + (uint64_t)time.tv_nsec;
}

static uint32_t request_start(const connection *c, uint32_t index) {
    return index == 0 ? 0 : c->requests[index - 1].end;
}

/// Writes each 12-character token slot with this connection's number and the cycle's.
static void write_tokens(connection *c) {
    char token[13];
    snprintf(token, sizeof token, "%04x%08x", c->number & 0xffff, c->cycles);
    for (uint32_t i = 0; i < c->token_count; i++) memcpy(c->bytes + c->token_offsets[i], token, 12);
}

static void watch_writable(bo_load *load, connection *c, int writable) {
    struct epoll_event event = {.events = EPOLLIN | (writable ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(load->epoll, EPOLL_CTL_MOD, c->fd, &event);
}

/// Writes what is left of the in-flight request; returns -1 when the connection failed.
static int flush_request(bo_load *load, connection *c) {
    while (c->unwritten < c->request_end) {
        ssize_t written = send(c->fd, c->sending + c->unwritten, c->request_end - c->unwritten, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch_writable(load, c, 1);
                return 0;
            }
            return -1;
        }
        c->unwritten += (uint32_t)written;
    }
    return 0;
}

static int send_request(bo_load *load, connection *c, uint32_t index, uint64_t now) {
    const bo_load_request *request = &c->requests[index];
    c->in_flight = index;
    c->replies_left = request->replies ? request->replies : 1;
    c->refused = 0;
    c->no_seats = 0;
    c->sent_at = now;
    uint32_t start = request_start(c, index);
    if (request->flags & BO_LOAD_WITH_CHOSEN_SEATS) {
        // The request's line, the seats chosen last, and its end.
        size_t line = request->end - start, length = line + c->chosen_length + 1;
        if (length > c->out_capacity) {
            c->out_capacity = length;
            c->out = realloc(c->out, length);
        }
        memcpy(c->out, c->bytes + start, line);
        memcpy(c->out + line, c->chosen, c->chosen_length);
        c->out[length - 1] = '\n';
        c->sending = c->out;
        c->unwritten = 0;
        c->request_end = (uint32_t)length;
    } else {
        c->sending = c->bytes;
        c->unwritten = start;
        c->request_end = request->end;
    }
    return flush_request(load, c);
}

/// Sends the connection's next request in this stage, or marks it finished; -1 when the connection failed.
static int proceed(bo_load *load, connection *c, stage st, uint64_t now, uint64_t deadline) {
    if (c->retry_at) return 0;
    switch (st) {
    case STAGE_OPEN:
        if (c->next >= c->prologue) {
            c->finished = 1;
            return 0;
        }
        return send_request(load, c, c->next, now);
    case STAGE_RUN:
        if (c->cycle_end == c->prologue) {
            c->finished = 1;
            return 0;
        }
        if (c->next >= c->cycle_end) {
            c->next = c->prologue;
            c->cycles++;
            write_tokens(c);
        }
        if (now >= deadline && (c->requests[c->next].flags & BO_LOAD_STOP_POINT)) {
            c->finished = 1;
            return 0;
        }
        return send_request(load, c, c->next, now);
    case STAGE_FINISH:
        if (c->next < c->cycle_end) c->next = c->cycle_end;
        if (c->next >= c->count) {
            c->finished = 1;
            return 0;
        }
        return send_request(load, c, c->next, now);
    }
    return 0;
}

static void keep_text(char *destination, const uint8_t *text, size_t length) {
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) length--;
    if (length > 255) length = 255;
    memcpy(destination, text, length);
    destination[length] = 0;
}

/// The length of the RESP value at `position`: 0 when it has not all arrived, -1 when it is not RESP.
static long resp_length(const uint8_t *bytes, size_t length, size_t position, int depth) {
    if (position >= length || depth > 8) return position >= length ? 0 : -1;
    const uint8_t *newline = memchr(bytes + position, '\n', length - position);
    if (!newline) return 0;
    size_t line_end = (size_t)(newline - bytes) + 1;
    long count = strtol((const char *)bytes + position + 1, NULL, 10);
    switch (bytes[position]) {
    case '+':
    case '-':
    case ':':
        return (long)(line_end - position);
    case '$': {
        if (count < 0) return (long)(line_end - position);
        size_t end = line_end + (size_t)count + 2;
        return end <= length ? (long)(end - position) : 0;
    }
    case '*': {
        if (count < 0) return (long)(line_end - position);
        size_t at = line_end;
        for (long i = 0; i < count; i++) {
            long element = resp_length(bytes, length, at, depth + 1);
            if (element <= 0) return element;
            at += (size_t)element;
        }
        return (long)(at - position);
    }
    default:
        return -1;
    }
}

/// Finds the end of the in-flight request's next reply in `c->in`; records its refusal, if it is one. Returns the
/// reply's length, 0 when it has not all arrived, -1 when the bytes cannot be read.
static long next_reply(const bo_load *load, connection *c) {
    if (load->protocol == BO_LOAD_KIOSK_LINES) {
        while (c->scanned < c->in_length) {
            const uint8_t *line = c->in + c->scanned;
            const uint8_t *newline = memchr(line, '\n', c->in_length - c->scanned);
            if (!newline) return 0;
            size_t line_length = (size_t)(newline - line);
            size_t end = c->scanned + line_length + 1;
            c->scanned = end;
            int ok = line_length >= 2 && line[0] == 'O' && line[1] == 'K' && (line_length == 2 || line[2] == ' ');
            int refused = line_length >= 4 && memcmp(line, "ERR ", 4) == 0;
            int greeting = line_length >= 6 && memcmp(line, "HELLO ", 6) == 0;
            if (!ok && !refused && !greeting) continue;
            c->final_start = (size_t)(line - c->in);
            c->final_length = line_length > 0 && line[line_length - 1] == '\r' ? line_length - 1 : line_length;
            if (refused && !c->refused) {
                c->refused = 1;
                keep_text(c->refusal, line, line_length);
            }
            return (long)end;
        }
        return 0;
    }
    long length = resp_length(c->in, c->in_length, 0, 0);
    if (length <= 0) return length;
    if (c->refused) return length;
    if (c->in[0] == '-') {
        c->refused = 1;
        keep_text(c->refusal, c->in + 1, (size_t)length - 1);
    } else if (c->in_flight != GREETING && (c->requests[c->in_flight].flags & BO_LOAD_OUTCOME_IN_ARRAY) &&
               c->in[0] == '*') {
        // The scripts answer {outcome, ...}: the first element, a bulk string, is OK or the refusal's name.
        const uint8_t *newline = memchr(c->in, '\n', (size_t)length);
        size_t element = (size_t)(newline - c->in) + 1;
        if (element < (size_t)length && c->in[element] == '$') {
            const uint8_t *header_end = memchr(c->in + element, '\n', (size_t)length - element);
            long size = strtol((const char *)c->in + element + 1, NULL, 10);
            const uint8_t *text = header_end + 1;
            if (!(size == 2 && text[0] == 'O' && text[1] == 'K')) {
                c->refused = 1;
                keep_text(c->refusal, text, size > 0 ? (size_t)size : 0);
            }
        }
    }
    return length;
}

static void consume(connection *c, size_t length) {
    memmove(c->in, c->in + length, c->in_length - length);
    c->in_length -= length;
    c->scanned = 0;
}

static void record(tally *t, uint8_t kind, uint32_t microseconds) {
    bo_load_result *result = t->result;
    if (result->replies[kind] == t->capacity[kind]) {
        t->capacity[kind] = t->capacity[kind] ? t->capacity[kind] * 2 : 4096;
        result->latencies[kind] = realloc(result->latencies[kind], t->capacity[kind] * sizeof(uint32_t));
    }
    result->latencies[kind][result->replies[kind]++] = microseconds;
}

static int expected_refusal(const tally *t, const char *refusal) {
    for (uint32_t i = 0; i < t->expected_count; i++) {
        if (strncmp(refusal, t->expected[i], strlen(t->expected[i])) == 0) return 1;
    }
    return 0;
}

/// Whether seat id `id` is among the connection's hot seats.
static int is_hot(const connection *c, const uint8_t *id, size_t length) {
    char needle[20] = {' '};
    memcpy(needle + 1, id, length);
    needle[length + 1] = ' ';
    return memmem(c->hot_seats, c->hot_seats_length, needle, length + 2) != NULL;
}

/// Collects the available seats of a SEATS reply (`SEAT <seat-id> AVAILABLE <kind>` lines, front row first, left to
/// right), only the hot ones if `hot`, in `load->seats`, and where each row starts among them in `load->row_starts`.
/// Returns the number of rows.
static uint32_t free_seats(bo_load *load, const connection *c, const uint8_t *reply, size_t length, int hot,
                           uint32_t *found) {
    uint32_t rows = 0;
    *found = 0;
    for (size_t at = 0; at < length;) {
        const uint8_t *line = reply + at;
        const uint8_t *newline = memchr(line, '\n', length - at);
        size_t line_length = newline ? (size_t)(newline - line) : length - at;
        at += line_length + 1;
        if (line_length < 5 || memcmp(line, "SEAT ", 5) != 0) continue;
        const uint8_t *id = line + 5;
        const uint8_t *space = memchr(id, ' ', line_length - 5);
        if (!space) continue;
        size_t id_length = (size_t)(space - id), rest = line_length - 6 - id_length;
        if (rest < 10 || memcmp(space + 1, "AVAILABLE ", 10) != 0 || id_length > 16) continue;
        size_t row_length = 0;
        while (row_length < id_length && isalpha(id[row_length])) row_length++;
        if (row_length == 0 || row_length == id_length) continue;
        if (hot && !is_hot(c, id, id_length)) continue;
        if (*found == load->seats_capacity) {
            load->seats_capacity = load->seats_capacity ? load->seats_capacity * 2 : 1024;
            load->seats = realloc(load->seats, load->seats_capacity * sizeof(free_seat));
            load->row_starts = realloc(load->row_starts, load->seats_capacity * sizeof(uint32_t));
        }
        const free_seat *last = *found ? &load->seats[*found - 1] : NULL;
        if (!last || last->row_length != row_length || memcmp(reply + last->offset, id, row_length) != 0) {
            load->row_starts[rows++] = *found;
        }
        load->seats[(*found)++] = (free_seat){
            .offset = (uint32_t)(id - reply),
            .length = (uint8_t)id_length,
            .row_length = (uint8_t)row_length,
            .number = (uint32_t)strtoul((const char *)id + row_length, NULL, 10),
        };
    }
    return rows;
}

/// Chooses seats from a SEATS reply as a customer would, into `c->chosen`: half the time among the hot seats (if any
/// is free), a row at random among those with a free seat, a free seat of it at random, and from there 1 to 6 seats
/// while their numbers follow on. Returns 0 when no seat is free.
static int choose_seats(bo_load *load, connection *c, const uint8_t *reply, size_t length) {
    uint32_t found = 0, rows = 0;
    if (c->hot_seats && (rand() & 1)) rows = free_seats(load, c, reply, length, 1, &found);
    if (found == 0) rows = free_seats(load, c, reply, length, 0, &found);
    if (found == 0) return 0;
    uint32_t row = (uint32_t)rand() % rows;
    uint32_t first = load->row_starts[row], end = row + 1 < rows ? load->row_starts[row + 1] : found;
    uint32_t seat = first + (uint32_t)rand() % (end - first);
    uint32_t wanted = 1 + (uint32_t)rand() % 6;
    c->chosen_length = 0;
    for (uint32_t taken = 0; taken < wanted && seat < end; taken++, seat++) {
        if (taken > 0 && load->seats[seat].number != load->seats[seat - 1].number + 1) break;
        c->chosen[c->chosen_length++] = ' ';
        memcpy(c->chosen + c->chosen_length, reply + load->seats[seat].offset, load->seats[seat].length);
        c->chosen_length += load->seats[seat].length;
    }
    return 1;
}

/// Reads the in-flight request's last reply, still at the start of `c->in`, for what its plan asks: seats to choose,
/// a final line to keep.
static void inspect(bo_load *load, connection *c, size_t length, stage st, tally *t) {
    if (c->in_flight == GREETING || c->refused || load->protocol != BO_LOAD_KIOSK_LINES) return;
    uint8_t flags = c->requests[c->in_flight].flags;
    if (flags & BO_LOAD_CHOOSE_SEATS) c->no_seats = !choose_seats(load, c, c->in, length);
    if ((flags & BO_LOAD_KEEP_FINAL_LINE) && st == STAGE_RUN) {
        bo_load_result *result = t->result;
        if (result->kept_length + c->final_length + 1 > t->kept_capacity) {
            t->kept_capacity = (result->kept_length + c->final_length + 1) * 2;
            result->kept = realloc(result->kept, t->kept_capacity);
        }
        memcpy(result->kept + result->kept_length, c->in + c->final_start, c->final_length);
        result->kept_length += c->final_length;
        result->kept[result->kept_length++] = '\n';
    }
}

/// Whether a kiosk refusal means the daemon was busy, and after how long to ask again.
static uint64_t busy_pause_ns(const char *refusal) {
    if (strncmp(refusal, "ERR UNAVAILABLE", 15) == 0) return (20 + (uint64_t)(rand() % 180)) * 1000000ull;
    if (strncmp(refusal, "ERR RATE_LIMITED ", 17) == 0) {
        long seconds = strtol(refusal + 17, NULL, 10);
        return ((uint64_t)(seconds > 0 ? seconds : 1) * 1000 + (uint64_t)(rand() % 500)) * 1000000ull;
    }
    return 0;
}

/// A whole reply arrived for the in-flight request: counts it and decides what comes next.
static void replied(bo_load *load, connection *c, stage st, uint64_t now, tally *t) {
    uint32_t index = c->in_flight;
    c->in_flight = NONE;
    // A refused greeting (the daemon is full) is followed by the daemon closing the connection, which fails the open.
    if (index == GREETING) return;
    const bo_load_request *request = &c->requests[index];
    if (st == STAGE_OPEN && c->refused) {
        uint64_t pause = load->protocol == BO_LOAD_KIOSK_LINES ? busy_pause_ns(c->refusal) : 0;
        if (pause && c->retries++ < BUSY_RETRIES) {
            c->retry_at = now + pause;
            return;
        }
    }
    if (st == STAGE_RUN) {
        uint64_t elapsed = (now - c->sent_at) / 1000;
        record(t, request->kind, elapsed > UINT32_MAX ? UINT32_MAX : (uint32_t)elapsed);
        if (c->refused) {
            bo_load_result *result = t->result;
            if (expected_refusal(t, c->refusal)) {
                result->conflicts[request->kind]++;
            } else {
                if (!result->first_error[0]) snprintf(result->first_error, 256, "%s", c->refusal);
                result->errors[request->kind]++;
            }
        }
    }
    c->next = index + 1 + (c->refused || c->no_seats ? request->skip_if_refused : request->skip_if_ok);
}

/// Reads what arrived and handles every whole reply; -1 when the connection failed.
static int readable(bo_load *load, connection *c, stage st, uint64_t deadline, tally *t) {
    if (c->in_capacity - c->in_length < 4096) {
        c->in_capacity *= 2;
        c->in = realloc(c->in, c->in_capacity);
    }
    ssize_t got = read(c->fd, c->in + c->in_length, c->in_capacity - c->in_length);
    if (got == 0) return -1;
    if (got < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    c->in_length += (size_t)got;
    while (c->in_flight != NONE) {
        long length = next_reply(load, c);
        if (length < 0) return -1;
        if (length == 0) break;
        if (c->replies_left == 1) inspect(load, c, (size_t)length, st, t);
        consume(c, (size_t)length);
        if (--c->replies_left > 0) continue;
        uint64_t now = now_ns();
        replied(load, c, st, now, t);
        if (proceed(load, c, st, now, deadline) < 0) return -1;
    }
    return 0;
}

/// Closes a connection that failed, leaving the others to go on.
static void forget(bo_load *load, connection *c) {
    epoll_ctl(load->epoll, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    c->in_flight = NONE;
    c->finished = 1;
}

/// Drives connections [first, last) through `st` until each is finished. Returns 0, or -1 with a reason in
/// `error`. In the finishing stage a connection that fails is closed and the others go on.
static int drive(bo_load *load, uint32_t first, uint32_t last, stage st, uint64_t deadline, tally *t,
                 char *error) {
    uint64_t now = now_ns();
    uint32_t unfinished = 0;
    for (uint32_t i = first; i < last; i++) {
        connection *c = &load->connections[i];
        c->finished = 0;
        if (c->fd < 0) {
            c->finished = 1;
            continue;
        }
        if (c->in_flight == NONE && proceed(load, c, st, now, deadline) < 0) {
            if (st == STAGE_FINISH) {
                forget(load, c);
                continue;
            }
            snprintf(error, 256, "connection %u: cannot write", i);
            return -1;
        }
        if (!c->finished) unfinished++;
    }
    struct epoll_event events[256];
    uint64_t heard = now;
    while (unfinished > 0) {
        now = now_ns();
        int timeout = 10;
        if (st == STAGE_OPEN) {
            // Busy prologue requests wait for their pause to end.
            for (uint32_t i = first; i < last; i++) {
                connection *c = &load->connections[i];
                if (c->retry_at && c->retry_at <= now) {
                    c->retry_at = 0;
                    heard = now;  // a pause the daemon asked for is not silence
                    if (proceed(load, c, st, now, deadline) < 0) {
                        snprintf(error, 256, "connection %u: cannot write", i);
                        return -1;
                    }
                }
            }
        }
        int ready = epoll_wait(load->epoll, events, 256, timeout);
        if (ready < 0) {
            if (errno == EINTR) continue;
            snprintf(error, 256, "epoll_wait: %s", strerror(errno));
            return -1;
        }
        if (ready > 0) heard = now_ns();
        for (int e = 0; e < ready; e++) {
            connection *c = events[e].data.ptr;
            uint32_t number = c->number;
            int failed = 0;
            if (events[e].events & EPOLLOUT) {
                watch_writable(load, c, 0);
                failed = flush_request(load, c) < 0;
            }
            if (!failed && (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                int was_finished = c->finished;
                failed = readable(load, c, st, deadline, t) < 0;
                if (!was_finished && c->finished) unfinished--;
            }
            if (failed && st == STAGE_FINISH) {
                if (!c->finished) unfinished--;
                forget(load, c);
                continue;
            }
            if (failed) {
                snprintf(error, 256, "connection %u closed or sent what is not a reply%s%s", number,
                         c->refused ? " after: " : "", c->refused ? c->refusal : "");
                return -1;
            }
        }
        if (st == STAGE_OPEN) {
            unfinished = 0;
            for (uint32_t i = first; i < last; i++) unfinished += !load->connections[i].finished;
        }
        if (now_ns() - heard > SILENCE_LIMIT_NS) {
            snprintf(error, 256, "no reply for 30 s (%u connections waiting)", unfinished);
            return -1;
        }
    }
    return 0;
}

static int connect_to(const char *host, int port) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void free_load(bo_load *load) {
    for (uint32_t i = 0; i < load->count; i++) {
        connection *c = &load->connections[i];
        if (c->fd >= 0) close(c->fd);
        free(c->bytes);
        free(c->requests);
        free(c->token_offsets);
        free(c->hot_seats);
        free(c->out);
        free(c->in);
    }
    if (load->epoll >= 0) close(load->epoll);
    free(load->seats);
    free(load->row_starts);
    free(load->connections);
    free(load);
}

bo_load *bo_load_open(const char *host, int port, bo_load_protocol protocol, const bo_load_plan *plans,
                      uint32_t count, char *error) {
    bo_load *load = calloc(1, sizeof *load);
    load->protocol = protocol;
    load->epoll = epoll_create1(EPOLL_CLOEXEC);
    load->connections = calloc(count, sizeof(connection));
    load->count = count;
    for (uint32_t i = 0; i < count; i++) load->connections[i].fd = -1;
    for (uint32_t i = 0; i < count; i++) {
        const bo_load_plan *plan = &plans[i];
        connection *c = &load->connections[i];
        size_t size = plan->count ? plan->requests[plan->count - 1].end : 0;
        c->number = i;
        c->bytes = malloc(size ? size : 1);
        memcpy(c->bytes, plan->bytes, size);
        c->requests = malloc((plan->count ? plan->count : 1) * sizeof(bo_load_request));
        memcpy(c->requests, plan->requests, plan->count * sizeof(bo_load_request));
        c->prologue = plan->prologue;
        c->cycle_end = plan->cycle_end;
        c->count = plan->count;
        c->token_offsets = malloc((plan->token_count ? plan->token_count : 1) * sizeof(uint32_t));
        memcpy(c->token_offsets, plan->token_offsets, plan->token_count * sizeof(uint32_t));
        c->token_count = plan->token_count;
        if (plan->hot_seats) {
            c->hot_seats = strdup(plan->hot_seats);
            c->hot_seats_length = strlen(plan->hot_seats);
        }
        write_tokens(c);
        c->in_capacity = 16384;
        c->in = malloc(c->in_capacity);
        c->in_flight = protocol == BO_LOAD_KIOSK_LINES ? GREETING : NONE;
        c->replies_left = 1;
    }
    bo_load_result ignored = {0};
    tally opening = {.result = &ignored};
    for (uint32_t first = 0; first < count; first += OPEN_BATCH) {
        uint32_t last = first + OPEN_BATCH < count ? first + OPEN_BATCH : count;
        for (uint32_t i = first; i < last; i++) {
            connection *c = &load->connections[i];
            c->fd = connect_to(host, port);
            if (c->fd < 0) {
                snprintf(error, 256, "cannot connect to %s:%d: %s", host, port, strerror(errno));
                free_load(load);
                return NULL;
            }
            struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
            epoll_ctl(load->epoll, EPOLL_CTL_ADD, c->fd, &event);
        }
        if (drive(load, first, last, STAGE_OPEN, 0, &opening, error) < 0) {
            free_load(load);
            return NULL;
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        connection *c = &load->connections[i];
        if (c->retries > BUSY_RETRIES) {
            snprintf(error, 256, "connection %u: still refused after %d tries: %s", i, BUSY_RETRIES, c->refusal);
            free_load(load);
            return NULL;
        }
    }
    return load;
}

int bo_load_run(bo_load *load, double seconds, const char *const *expected, uint32_t expected_count,
                bo_load_result *result) {
    memset(result, 0, sizeof *result);
    tally running = {.result = result, .expected = expected, .expected_count = expected_count};
    uint64_t started = now_ns();
    uint64_t deadline = started + (uint64_t)(seconds * 1e9);
    char error[256] = {0};
    int outcome = drive(load, 0, load->count, STAGE_RUN, deadline, &running, error);
    result->seconds = (double)(now_ns() - started) / 1e9;
    if (outcome < 0) snprintf(result->first_error, 256, "%s", error);
    return outcome;
}

void bo_load_finish(bo_load *load) {
    bo_load_result ignored = {0};
    tally finishing = {.result = &ignored};
    char error[256];
    // Epilogue replies are not measured; a connection that fails is closed and the others go on.
    for (uint32_t i = 0; i < load->count; i++) load->connections[i].next = load->connections[i].cycle_end;
    drive(load, 0, load->count, STAGE_FINISH, 0, &finishing, error);
    bo_load_free_result(&ignored);
    free_load(load);
}

void bo_load_free_result(bo_load_result *result) {
    for (int kind = 0; kind < BO_LOAD_KINDS; kind++) {
        free(result->latencies[kind]);
        result->latencies[kind] = NULL;
    }
    free(result->kept);
    result->kept = NULL;
    result->kept_length = 0;
}
