import CLoadGenerator
import Foundation
import Histogram
import NIOCore
import RedisClient

/// One connection's requests for the C load generator (`CLoadGenerator.h`): a prologue sent once before the clock
/// starts, a cycle repeated while it runs, and an epilogue sent once at the end, each request as the bytes that go
/// on the wire, and how many requests after it to skip when it succeeds or is refused.
struct LoadPlan {
    /// The part of the plan the next requests go to; parts come in this order.
    enum Part: Int, Comparable {
        case prologue, cycle, epilogue

        static func < (lhs: Part, rhs: Part) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What the generator does around a request.
    struct Flags: OptionSet {
        let rawValue: UInt8
        /// When the time is up, the connection may stop before this request (nothing is held there).
        static let stopPoint = Flags(rawValue: UInt8(BO_LOAD_STOP_POINT))
        /// The reply is a BoxOffice script's `{outcome, ...}`, refused unless the outcome is `OK`.
        static let outcomeInArray = Flags(rawValue: UInt8(BO_LOAD_OUTCOME_IN_ARRAY))
        /// A SEATS request: the generator chooses 1 to 6 adjacent free seats from its reply, half the time among
        /// ``LoadPlan/hotSeats``; refused (for the skip) when none is free.
        static let chooseSeats = Flags(rawValue: UInt8(BO_LOAD_CHOOSE_SEATS))
        /// The line (`HOLD`) is sent with the seats chosen last.
        static let withChosenSeats = Flags(rawValue: UInt8(BO_LOAD_WITH_CHOSEN_SEATS))
        /// The reply's final line, when it is `OK ...`, is kept for ``LoadGenerator/Run/keptLines``.
        static let keepFinalLine = Flags(rawValue: UInt8(BO_LOAD_KEEP_FINAL_LINE))
    }

    /// The seats ``Flags/chooseSeats`` prefers half the time.
    var hotSeats: Set<String> = []

    fileprivate private(set) var bytes: [UInt8] = []
    fileprivate private(set) var requests: [bo_load_request] = []
    fileprivate private(set) var prologueEnd: UInt32 = 0
    fileprivate private(set) var cycleEnd: UInt32 = 0
    fileprivate private(set) var tokenOffsets: [UInt32] = []
    /// The scripts the plan calls by SHA-1 (`EVALSHA`): the generator cannot send a script's source when Redis
    /// answers `NOSCRIPT`, so they must be loaded before it runs.
    private(set) var scripts: [RedisScript] = []
    private var part = Part.prologue

    /// Sends the following requests in `next`.
    mutating func begin(_ next: Part) {
        precondition(next >= part, "a plan's parts come in order")
        if part == .prologue { prologueEnd = UInt32(requests.count) }
        if next == .epilogue { cycleEnd = UInt32(requests.count) }
        part = next
    }

    /// The number the next request will have in the plan, for counting skips.
    var nextIndex: Int { requests.count }

    /// A kiosk request line (without its LF when it is sent ``Flags/withChosenSeats``). After it, `skipIfOK`
    /// requests are skipped when it succeeds, `skipIfRefused` when it is refused.
    mutating func line(
        _ text: String, as command: BenchCommand, _ flags: Flags = [], skipIfOK: Int = 0, skipIfRefused: Int = 0
    ) {
        bytes.append(contentsOf: text.utf8)
        if !flags.contains(.withChosenSeats) { bytes.append(UInt8(ascii: "\n")) }
        append(command, replies: 1, flags, skipIfOK: skipIfOK, skipIfRefused: skipIfRefused)
    }

    /// Redis commands written together; the request's reply is theirs, one each.
    mutating func commands(
        _ commands: [RedisCommand], as command: BenchCommand, _ flags: Flags = [], skipIfRefused: Int = 0
    ) {
        var buffer = ByteBuffer()
        for redisCommand in commands {
            redisCommand.encode(into: &buffer)
            if let script = redisCommand.scriptFallback, !scripts.contains(script) { scripts.append(script) }
        }
        bytes.append(contentsOf: buffer.readableBytesView)
        append(command, replies: commands.count, flags, skipIfOK: 0, skipIfRefused: skipIfRefused)
    }

    /// Marks every place where `placeholder` (20 characters) occurs: the generator writes a fresh 12-character
    /// token over its last 12 each time the cycle begins, so that each pass starts a session of its own.
    mutating func markTokens(in placeholder: String) {
        let needle = Array(placeholder.utf8)
        precondition(needle.count == 20, "a session id placeholder has 20 characters")
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) {
                tokenOffsets.append(UInt32(index + 8))
                index += needle.count
            } else {
                index += 1
            }
        }
    }

    private mutating func append(
        _ command: BenchCommand, replies: Int, _ flags: Flags, skipIfOK: Int, skipIfRefused: Int
    ) {
        requests.append(
            bo_load_request(
                end: UInt32(bytes.count), kind: UInt8(LoadGenerator.kind(of: command)), replies: UInt8(replies),
                flags: flags.rawValue, skip_if_ok: UInt8(skipIfOK), skip_if_refused: UInt8(skipIfRefused)))
        if part == .prologue { prologueEnd = UInt32(requests.count) }
        if part != .epilogue { cycleEnd = UInt32(requests.count) }
    }
}

/// Connections driven by the C load generator: one thread and `epoll` for all of them, one request in flight on
/// each. Its calls block, so each runs on a thread of its own rather than on the task pool.
///
/// `@unchecked Sendable`: the C handle is used by one call at a time (open, then run as often as wanted, then
/// finish, each awaited before the next), and not after ``finish()``.
final class LoadGenerator: @unchecked Sendable {
    /// What one timed run measured.
    struct Run {
        /// Latencies and outcomes by command.
        let recorder: BenchRecorder
        let seconds: Double
        /// The final lines of replies the plans asked to keep (``LoadPlan/Flags/keepFinalLine``).
        let keptLines: [Substring]
    }

    private var handle: OpaquePointer?

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// A generator the bench dropped on an error path without ``finish()`` still closes its sessions (a short
    /// blocking wait for the epilogue's replies).
    deinit {
        finishNow()
    }

    /// The generator's number for a command's latencies.
    static func kind(of command: BenchCommand) -> Int { BenchCommand.allCases.firstIndex(of: command)! }

    /// Connects one connection per plan to `host` (an IPv4 address or `localhost`) and runs each prologue.
    /// - Parameter kiosk: the kiosk protocol (a greeting, replies up to an `OK`/`ERR` line), otherwise RESP.
    static func open(host: String, port: Int, kiosk: Bool, plans: [LoadPlan]) async throws -> LoadGenerator {
        let address = host == "localhost" ? "127.0.0.1" : host
        return try await onThread {
            var error = [CChar](repeating: 0, count: 256)
            let handle = Self.withCPlans(plans) { cPlans in
                bo_load_open(
                    address, Int32(port), kiosk ? BO_LOAD_KIOSK_LINES : BO_LOAD_RESP, cPlans.baseAddress,
                    UInt32(cPlans.count), &error)
            }
            guard let handle else {
                throw LoadGeneratorError(String(decoding: error.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self))
            }
            return LoadGenerator(handle: handle)
        }
    }

    /// Runs the cycles for `seconds`. A refusal starting with one of `expected` is counted as a conflict of its
    /// command (a HOLD's, a declined PAY), any other as an error. When a connection fails, the generator is finished
    /// (every other connection's epilogue sent) before this throws.
    func run(seconds: Int, expected: [String]) async throws -> Run {
        try await Self.onThread { [self] in
            guard let handle else { throw LoadGeneratorError("finished already") }
            var result = bo_load_result()
            defer { bo_load_free_result(&result) }
            let cTexts = expected.map { strdup($0) }
            defer { for text in cTexts { free(text) } }
            let failed = cTexts.map { UnsafePointer($0) }.withUnsafeBufferPointer { texts in
                bo_load_run(handle, Double(seconds), texts.baseAddress, UInt32(texts.count), &result) != 0
            }
            let firstError = withUnsafeBytes(of: result.first_error) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if failed {
                finishNow()
                throw LoadGeneratorError(firstError)
            }
            var recorder = BenchRecorder()
            let replies = Self.perKind(result.replies)
            let conflicts = Self.perKind(result.conflicts)
            let errors = Self.perKind(result.errors)
            let latencies = withUnsafeBytes(of: result.latencies) {
                Array($0.bindMemory(to: UnsafeMutablePointer<UInt32>?.self))
            }
            for command in BenchCommand.allCases {
                let kind = Self.kind(of: command)
                guard replies[kind] > 0, let samples = latencies[kind] else { continue }
                for index in 0..<replies[kind] { recorder.record(command, microseconds: UInt64(samples[index])) }
            }
            recorder.holdConflicts = conflicts[Self.kind(of: .hold)]
            recorder.declines = conflicts[Self.kind(of: .pay)]
            let errorCount = errors.reduce(0, +)
            if errorCount > 0 {
                recorder.errors[firstError.split(separator: " ").prefix(2).joined(separator: " "), default: 0] =
                    errorCount
            }
            let kept =
                result.kept.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: result.kept_length), as: UTF8.self)
                }
                ?? ""
            return Run(recorder: recorder, seconds: result.seconds, keptLines: kept.split(separator: "\n"))
        }
    }

    /// Sends each connection's epilogue, then closes them all.
    func finish() async {
        _ = try? await Self.onThread { [self] in finishNow() }
    }

    /// Sends the epilogues and closes the connections, blocking until done; does nothing the second time.
    private func finishNow() {
        if let handle { bo_load_finish(handle) }
        handle = nil
    }

    private static func perKind(_ tuple: some Any) -> [Int] {
        withUnsafeBytes(of: tuple) { Array($0.bindMemory(to: UInt64.self)).map { Int($0) } }
    }

    /// Calls `body` with the plans as C structures, whose arrays stay valid during the call.
    private static func withCPlans<Result>(
        _ plans: [LoadPlan], _ body: (UnsafeBufferPointer<bo_load_plan>) -> Result
    ) -> Result {
        var copies: [UnsafeMutableRawBufferPointer] = []
        defer { for copy in copies { copy.deallocate() } }
        func copy<Element>(_ array: [Element]) -> UnsafePointer<Element> {
            let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(array.count, 1))
            _ = buffer.initialize(from: array)
            copies.append(UnsafeMutableRawBufferPointer(buffer))
            return UnsafePointer(buffer.baseAddress!)
        }
        let cPlans = plans.map { plan in
            bo_load_plan(
                bytes: copy(plan.bytes), requests: copy(plan.requests), prologue: plan.prologueEnd,
                cycle_end: plan.cycleEnd, count: UInt32(plan.requests.count), token_offsets: copy(plan.tokenOffsets),
                token_count: UInt32(plan.tokenOffsets.count),
                hot_seats: plan.hotSeats.isEmpty
                    ? nil : copy(Array(" \(plan.hotSeats.sorted().joined(separator: " ")) ".utf8CString)))
        }
        return cPlans.withUnsafeBufferPointer(body)
    }

    /// Runs a blocking call on a thread of its own.
    private static func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws
        -> Value
    {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result(catching: body)) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}

/// The load generator could not connect, was refused a prologue, or lost a connection.
struct LoadGeneratorError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = "load generator: \(description)"
    }
}
