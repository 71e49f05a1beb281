/// The set of intents of one sentence: `flight` or, for multi-intent sentences, `flight+airfare`.
///
/// Labels are kept sorted and unique, so `flight+airfare` and `airfare+flight` are the same set; accuracy
/// compares sets (shared/DESIGN.md).
public struct LabelSet: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The label that marks an out-of-domain sentence, in data files and in predictions.
    public static let unknownLabel = "<unknown>"

    /// The labels, sorted and unique.
    public let labels: [String]

    /// Builds a set from labels in any order; duplicates are dropped.
    public init<S: Sequence>(_ labels: S) where S.Element == String {
        self.labels = Array(Set(labels)).sorted()
    }

    /// Parses a raw label such as `flight+airfare`; empty parts are dropped and parts are trimmed.
    public init(parsing raw: String, separator: Character = "+") {
        let parts = raw.split(separator: separator).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        self.init(parts)
    }

    /// The set written with the labels sorted: the name of a class in the model.
    public var canonical: String { labels.joined(separator: "+") }

    /// Whether this is the out-of-domain set `{<unknown>}`.
    public var isUnknown: Bool { labels == [LabelSet.unknownLabel] }

    /// Whether there are no labels at all.
    public var isEmpty: Bool { labels.isEmpty }

    public var description: String { canonical }

    public static func < (lhs: LabelSet, rhs: LabelSet) -> Bool { lhs.canonical < rhs.canonical }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(try container.decode([String].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(labels)
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space (Unicode-aware, Foundation free).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }
}
