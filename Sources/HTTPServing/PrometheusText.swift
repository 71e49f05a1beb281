/// The Prometheus text exposition format (version 0.0.4), written by both servers' `/metrics`.
///
/// One family at a time: `family` writes its `# HELP` and `# TYPE` lines, then `sample` and `histogram`
/// write its series. Label values are escaped (backslash, double quote, newline); label names and metric
/// names are the caller's constants. `promtool check metrics` checks both servers' output in CI.
public struct PrometheusText: Sendable {
    /// A metric family's type.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    private var lines: [String] = []

    public init() {}

    /// The exposition so far, newline-terminated.
    public var text: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// Starts the family `name`: its help text (one line) and its type.
    public mutating func family(_ name: String, help: String, kind: Kind) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(kind.rawValue)")
    }

    /// A family with a single sample without labels (a gauge or a counter of the whole server).
    public mutating func family(_ name: String, help: String, kind: Kind, value: Int) {
        family(name, help: help, kind: kind)
        sample(name, value)
    }

    /// One sample of the current family, `name{labels} value`.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Int) {
        lines.append("\(name)\(Self.labelSet(labels)) \(value)")
    }

    /// One sample of the current family with a fractional value.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        lines.append("\(name)\(Self.labelSet(labels)) \(Self.format(value))")
    }

    /// The series of one histogram of the current family: cumulative `_bucket` lines by `le`, then
    /// `_sum` and `_count`.
    public mutating func histogram(_ name: String, labels: [(String, String)] = [], _ histogram: PrometheusHistogram) {
        var cumulative = 0
        for (index, bound) in histogram.bounds.enumerated() {
            cumulative += histogram.bucketCounts[index]
            lines.append("\(name)_bucket\(Self.labelSet(labels + [("le", Self.format(bound))])) \(cumulative)")
        }
        lines.append("\(name)_bucket\(Self.labelSet(labels + [("le", "+Inf")])) \(histogram.count)")
        lines.append("\(name)_sum\(Self.labelSet(labels)) \(Self.format(histogram.sum))")
        lines.append("\(name)_count\(Self.labelSet(labels)) \(histogram.count)")
    }

    /// `{a="x",b="y"}`, or nothing without labels.
    static func labelSet(_ labels: [(String, String)]) -> String {
        labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value with backslash, double quote and newline escaped, as the format requires.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A number as Prometheus reads it: whole numbers without a fraction (`1`, `300`), others in full.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// A histogram with fixed bucket upper bounds: the count in each bucket, the sum and the count of what was
/// observed. A value type without a lock: keep it under the owner's.
public struct PrometheusHistogram: Sendable, Equatable {
    /// Upper bounds, ascending; `+Inf` is implied.
    public let bounds: [Double]
    /// Observations in each bucket alone (not cumulative): `bucketCounts[i]` counts values in
    /// `(bounds[i-1], bounds[i]]`.
    public private(set) var bucketCounts: [Int]
    public private(set) var sum = 0.0
    public private(set) var count = 0

    public init(bounds: [Double]) {
        self.bounds = bounds
        bucketCounts = Array(repeating: 0, count: bounds.count)
    }

    /// Counts `value` in the first bucket whose bound is at least it (above every bound, only in `+Inf`).
    public mutating func observe(_ value: Double) {
        if let index = bounds.firstIndex(where: { value <= $0 }) { bucketCounts[index] += 1 }
        sum += value
        count += 1
    }
}
