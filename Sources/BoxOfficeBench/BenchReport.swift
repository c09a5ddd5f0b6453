import Foundation
import Histogram

/// The benchmark's findings: per command throughput and latency percentiles, outcomes, the raw Redis rate of the
/// command compared and the ratio, each phase's CPU per process and load, and the invariant check; as text, JSON,
/// and an SVG latency plot.
struct BenchReport {
    let kiosks: Int
    let seconds: Double
    let recorder: BenchRecorder
    /// The command measured against raw Redis: HOLD (the hold script), or SEATS (its four reads).
    let compared: BenchCommand
    let raw: RawRate
    /// CPU and load while the kiosks ran, and while the raw comparison ran.
    let daemonPhase: ProcessCPU.Phase
    let rawPhase: ProcessCPU.Phase
    let violations: [String]

    private static let percentiles = [50.0, 99.0, 99.9]

    private var comparedPerSecond: Double { Double(recorder.latencies[compared]?.totalCount ?? 0) / seconds }
    private var ratio: Double { raw.perSecond > 0 ? comparedPerSecond / raw.perSecond : 0 }
    private var operations: Int { recorder.latencies.values.map { Int($0.totalCount) }.reduce(0, +) }
    private var rawWhat: String { compared == .seats ? "SEATS reads" : "hold script" }

    /// `daemon 120 µs, Redis 45 µs` per operation of a phase.
    private func perOperation(_ phase: ProcessCPU.Phase, operations: Int) -> String {
        guard operations > 0 else { return "" }
        return phase.seconds.compactMap { name, seconds in
            seconds.map { String(format: "%@ %.0f µs", name, $0 * 1e6 / Double(operations)) }
        }.joined(separator: ", ")
    }

    private func milliseconds(_ microseconds: UInt64) -> String { String(format: "%.2f", Double(microseconds) / 1000) }

    var text: String {
        var lines = ["", "command      ops/s   p50 ms   p99 ms  p99.9 ms   max ms"]
        for command in BenchCommand.allCases {
            guard let histogram = recorder.latencies[command], histogram.totalCount > 0 else { continue }
            let values = Self.percentiles.map { milliseconds(histogram.valueAtPercentile($0)) }
            lines.append(
                command.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f", Double(histogram.totalCount) / seconds)
                    + values.map { $0.leftPadded(9) }.joined() + milliseconds(histogram.max).leftPadded(9))
        }
        lines.append("")
        lines.append(
            "bookings \(recorder.bookings), seats sold \(recorder.seatsSold), hold conflicts \(recorder.holdConflicts), "
                + "declines \(recorder.declines), errors \(recorder.errors.values.reduce(0, +))")
        for (error, count) in recorder.errors.sorted(by: { $0.value > $1.value }).prefix(5) {
            lines.append("  error \(count)x \(error)")
        }
        lines.append(
            String(
                format: "raw Redis %@: %.0f/s at concurrency %d (p50 %@ ms, p99 %@ ms)", rawWhat, raw.perSecond,
                kiosks, milliseconds(raw.latencies.valueAtPercentile(50)),
                milliseconds(raw.latencies.valueAtPercentile(99))))
        lines.append(
            String(format: "daemon %@ throughput / raw Redis %@ throughput = %.2f", compared.rawValue, rawWhat, ratio))
        lines.append("CPU with the kiosks: \(daemonPhase.text)")
        lines.append(
            "  per operation (\(operations) of every command): \(perOperation(daemonPhase, operations: operations))")
        lines.append("CPU in the raw comparison: \(rawPhase.text)")
        lines.append("  per operation (\(raw.operations)): \(perOperation(rawPhase, operations: raw.operations))")
        lines.append(
            violations.isEmpty
                ? "invariants: all hold (no seat sold twice, every OK BOOKED in Redis, no hold left, all captured)"
                : "INVARIANT VIOLATIONS (\(violations.count)):")
        lines += violations.prefix(20).map { "  \($0)" }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var commands: [String: Any] = [:]
        for (command, histogram) in recorder.latencies where histogram.totalCount > 0 {
            commands[command.rawValue] = [
                "operations": histogram.totalCount,
                "ops_per_second": Double(histogram.totalCount) / seconds,
                "p50_ms": Double(histogram.valueAtPercentile(50)) / 1000,
                "p99_ms": Double(histogram.valueAtPercentile(99)) / 1000,
                "p999_ms": Double(histogram.valueAtPercentile(99.9)) / 1000,
                "max_ms": Double(histogram.max) / 1000,
            ]
        }
        let object: [String: Any] = [
            "kiosks": kiosks, "seconds": seconds, "commands": commands,
            "bookings": recorder.bookings, "seats_sold": recorder.seatsSold,
            "hold_conflicts": recorder.holdConflicts, "declines": recorder.declines, "errors": recorder.errors,
            "compared": compared.rawValue, "raw_redis_per_second": raw.perSecond, "throughput_ratio": ratio,
            "cpu_seconds_with_kiosks": Dictionary(
                daemonPhase.seconds.compactMap { name, seconds in seconds.map { (name, $0) } },
                uniquingKeysWith: { first, _ in first }),
            "cpu_seconds_raw": Dictionary(
                rawPhase.seconds.compactMap { name, seconds in seconds.map { (name, $0) } },
                uniquingKeysWith: { first, _ in first }),
            "load_average": [daemonPhase.loadBefore, daemonPhase.loadAfter, rawPhase.loadBefore, rawPhase.loadAfter],
            "invariant_violations": violations,
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Latency by percentile, one line per command, on a log scale of "nines" (50%, 90%, 99%, 99.9%, 99.99%).
    var svg: String {
        let width = 720.0, height = 420.0, left = 70.0, right = 150.0, top = 30.0, bottom = 50.0
        let nines = [0.0, 1, 2, 3, 4]  // 50% is 0.301 nines; we start the axis at 0 (0%) for simplicity
        let series =
            BenchCommand.allCases.compactMap { command -> (String, [(Double, Double)])? in
                guard let histogram = recorder.latencies[command], histogram.totalCount > 0 else { return nil }
                let points = stride(from: 0.0, through: 4.0, by: 0.1).map { nine -> (Double, Double) in
                    let percentile = 100 * (1 - pow(10, -nine))
                    return (nine, Double(histogram.valueAtPercentile(percentile)) / 1000)
                }
                return (command.rawValue, points)
            } + [
                (
                    "raw hold",
                    stride(from: 0.0, through: 4.0, by: 0.1).map { nine in
                        (nine, Double(raw.latencies.valueAtPercentile(100 * (1 - pow(10, -nine)))) / 1000)
                    }
                )
            ]
        let maxMs = max(1, series.flatMap { $0.1.map(\.1) }.max() ?? 1)
        let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#555555"]
        func x(_ nine: Double) -> Double { left + nine / 4 * (width - left - right) }
        func y(_ ms: Double) -> Double { height - bottom - ms / maxMs * (height - top - bottom) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="18" font-size="14">boxofficed latency by percentile: \(kiosks) kiosks, \(String(format: "%.0f", seconds)) s</text>
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="black"/>

            """
        for (nine, label) in zip(nines, ["0%", "90%", "99%", "99.9%", "99.99%"]) {
            svg += "<text x=\"\(x(nine) - 12)\" y=\"\(height - bottom + 18)\">\(label)</text>\n"
        }
        for step in 0...4 {
            let ms = maxMs * Double(step) / 4
            svg += "<text x=\"8\" y=\"\(y(ms) + 4)\">\(String(format: "%.1f ms", ms))</text>\n"
            svg += "<line x1=\"\(left)\" y1=\"\(y(ms))\" x2=\"\(width - right)\" y2=\"\(y(ms))\" stroke=\"#ddd\"/>\n"
        }
        for (index, (name, points)) in series.enumerated() {
            let colour = colours[index % colours.count]
            let path = points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            svg +=
                "<text x=\"\(width - right + 10)\" y=\"\(top + 20 + Double(index) * 18)\" fill=\"\(colour)\">\(name)</text>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 10)\">percentile</text>\n</svg>\n"
        return svg
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - count)) + self
    }
}
