// A load generator for boxoffice-bench: many TCP connections driven by one thread with epoll, each with one
// request in flight, like a kiosk (or a Redis client without pipelining). It spends a few microseconds of CPU per
// request, so that on a small machine the bench does not take the CPU the daemon or Redis would use, and the
// figures measure them rather than the bench.
//
// A plan gives each connection its requests as bytes: a prologue sent once before the clock starts (a prologue request
// the daemon turns away as busy, `ERR UNAVAILABLE` or `ERR RATE_LIMITED`, is sent again after a short pause; other
// refusals are taken as answers), a cycle repeated until the deadline, and an epilogue sent once when the set is
// finished. The generator knows how a reply ends (a kiosk's final `OK`/`ERR` line, or one RESP value per command
// sent) and whether it was refused, and records each reply's latency. A request may skip those after it, by its
// outcome; a kiosk may choose seats from a SEATS reply and hold them in the next request, as a customer would.
#ifndef BOXOFFICE_LOAD_GENERATOR_H
#define BOXOFFICE_LOAD_GENERATOR_H

#include <stddef.h>
#include <stdint.h>

/// How many kinds of request the latencies are kept apart for.
#define BO_LOAD_KINDS 8

/// The wire protocol of every connection of a run.
typedef enum {
    /// The kiosk protocol: a greeting line on connect; a reply is any data lines and a final line starting with
    /// `OK` (alone or followed by a space) or `ERR `; refused when the final line starts with `ERR `.
    BO_LOAD_KIOSK_LINES = 0,
    /// RESP: a reply is one value per command sent; refused when it is an error, or an array whose first element
    /// is a string other than `OK` where the request says so (BO_LOAD_OUTCOME_IN_ARRAY).
    BO_LOAD_RESP = 1,
} bo_load_protocol;

/// The clock may stop the cycle before this request (nothing is held there): the connection goes on to the epilogue.
#define BO_LOAD_STOP_POINT 1u
/// RESP: the reply is a BoxOffice script's `{outcome, ...}` array, refused when the outcome is not `OK`.
#define BO_LOAD_OUTCOME_IN_ARRAY 4u
/// Kiosk: the reply is a SEATS reply (`SEAT <seat-id> AVAILABLE <kind>` lines); the generator chooses 1 to 6
/// adjacent available seats of one row (half the time among the plan's hot seats, when any of them is free). When
/// no seat is free, the request counts as refused for `skip_if_refused` (not as an error).
#define BO_LOAD_CHOOSE_SEATS 8u
/// Kiosk: the request's bytes are a line without its end (`HOLD`); the generator adds the seats it chose last, each
/// after a space, and the LF.
#define BO_LOAD_WITH_CHOSEN_SEATS 16u
/// Kiosk: the final line of this request's reply, when it is `OK ...`, is kept in the result (`OK BOOKED ...`).
#define BO_LOAD_KEEP_FINAL_LINE 32u

/// One request of a plan.
typedef struct {
    /// Where its bytes end in the plan's bytes; they start where the previous request's end.
    uint32_t end;
    /// Which latency record it counts in, below BO_LOAD_KINDS.
    uint8_t kind;
    /// Replies it expects: one per RESP command sent together; 1 for a kiosk request.
    uint8_t replies;
    /// BO_LOAD_STOP_POINT, BO_LOAD_OUTCOME_IN_ARRAY, BO_LOAD_CHOOSE_SEATS, BO_LOAD_WITH_CHOSEN_SEATS,
    /// BO_LOAD_KEEP_FINAL_LINE.
    uint8_t flags;
    /// Requests skipped after this one when it succeeded (a HOLD that held goes on to PAY), and when it was refused
    /// (a RELEASE is not sent after a HOLD that did not hold); 0 to go on with the next.
    uint8_t skip_if_ok;
    uint8_t skip_if_refused;
} bo_load_request;

/// One connection's requests.
typedef struct {
    /// Every request's bytes, back to back.
    const uint8_t *bytes;
    const bo_load_request *requests;
    /// Requests [0, prologue) go once before the clock; [prologue, cycle_end) are the cycle; [cycle_end, count) the
    /// epilogue.
    uint32_t prologue;
    uint32_t cycle_end;
    uint32_t count;
    /// Offsets in `bytes` of 12-character slots that get a fresh hex token (this connection's number, then the
    /// cycle's) each time the cycle begins: a session id that must differ from session to session.
    const uint32_t *token_offsets;
    uint32_t token_count;
    /// The seats BO_LOAD_CHOOSE_SEATS prefers half the time, each with a space before and after (` K18 K19 `), or
    /// NULL.
    const char *hot_seats;
} bo_load_plan;

/// What a run measured, per kind of request.
typedef struct {
    /// Replies received in the timed window.
    uint64_t replies[BO_LOAD_KINDS];
    /// Of them, refusals that started with one of the run's expected refusals (a conflict, a declined payment).
    uint64_t conflicts[BO_LOAD_KINDS];
    /// Of them, every other refusal.
    uint64_t errors[BO_LOAD_KINDS];
    /// Each reply's latency in microseconds, `replies[kind]` of them, to be freed with bo_load_free_result.
    uint32_t *latencies[BO_LOAD_KINDS];
    /// The first refusal that was not expected, as text (empty when there was none).
    char first_error[256];
    /// The final lines BO_LOAD_KEEP_FINAL_LINE kept, each ending in LF, `kept_length` bytes, to be freed with
    /// bo_load_free_result.
    char *kept;
    size_t kept_length;
    /// The length of the timed window, from the first request sent to the last reply received.
    double seconds;
} bo_load_result;

/// A set of connections, connected and past their prologue.
typedef struct bo_load bo_load;

/// Connects `count` connections to host:port (IPv4 address), reads each one's greeting with the kiosk protocol,
/// and runs every prologue, a few connections at a time (a daemon sheds the oldest of many connections from one
/// address that have not identified their kiosk yet). Returns NULL with a reason in `error` (256 bytes) if any of it fails. The plans are
/// copied.
bo_load *bo_load_open(const char *host, int port, bo_load_protocol protocol, const bo_load_plan *plans,
                      uint32_t count, char *error);

/// Runs the cycles for `seconds`: once the time is up, each connection stops at its next stop point. Fills `result`;
/// a refusal starting with one of the `expected_count` texts of `expected` counts as a conflict, not an error.
/// Returns 0, or -1 with a reason in result->first_error when a connection failed (closed, or a reply that cannot be
/// read).
int bo_load_run(bo_load *load, double seconds, const char *const *expected, uint32_t expected_count,
                bo_load_result *result);

/// Sends each connection's epilogue and waits for its replies (unless 30 s pass without any; a connection that fails
/// is closed and the others go on), then closes the connections and frees the set.
void bo_load_finish(bo_load *load);

/// Frees what a result holds.
void bo_load_free_result(bo_load_result *result);

#endif
