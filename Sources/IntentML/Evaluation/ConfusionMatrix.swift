/// Counts of gold classes (rows) against predicted classes (columns) over one shared list of labels.
public struct ConfusionMatrix: Codable, Sendable, Equatable {
    /// The classes, in row and column order: sorted canonical sets, with `<unknown>` last.
    public var labels: [String]
    /// `counts[gold][predicted]`: how many examples of gold class `labels[gold]` were predicted as `labels[predicted]`.
    public var counts: [[Int]]

    enum CodingKeys: String, CodingKey {
        case labels
        case counts = "matrix"
    }

    public init(labels: [String], counts: [[Int]]) {
        self.labels = labels
        self.counts = counts
    }

    /// Builds the matrix of `(gold, predicted)` canonical pairs over `labels`; pairs outside `labels` are ignored.
    init(labels: [String], pairs: [(gold: String, predicted: String)]) {
        let index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        for pair in pairs {
            guard let row = index[pair.gold], let column = index[pair.predicted] else { continue }
            counts[row][column] += 1
        }
        self.labels = labels
        self.counts = counts
    }

    /// The count for a gold and a predicted class by name, 0 when either is not in the matrix.
    public func count(gold: String, predicted: String) -> Int {
        guard let row = labels.firstIndex(of: gold), let column = labels.firstIndex(of: predicted),
              row < counts.count, column < counts[row].count else { return 0 }
        return counts[row][column]
    }

    /// Each cell divided by its row total (the share of a gold class predicted as each class); 0 for empty rows.
    public var rowNormalized: [[Double]] {
        counts.map { row in
            let total = row.reduce(0, +)
            return row.map { total > 0 ? Double($0) / Double(total) : 0 }
        }
    }

    /// Orders class names for display: sorted, with `<unknown>` last so in-domain classes stay together.
    static func displayOrder<S: Sequence>(_ names: S) -> [String] where S.Element == String {
        Set(names).sorted { lhs, rhs in
            let lhsUnknown = lhs == LabelSet.unknownLabel
            let rhsUnknown = rhs == LabelSet.unknownLabel
            return lhsUnknown != rhsUnknown ? rhsUnknown : lhs < rhs
        }
    }
}
