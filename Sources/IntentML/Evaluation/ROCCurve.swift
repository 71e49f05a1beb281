/// The one-vs-rest ROC curve of one class: its area and a downsampled list of points for plotting.
public struct ROCCurve: Codable, Sendable, Equatable {
    /// One operating point: false-positive rate and true-positive rate at some score threshold.
    public struct Point: Codable, Sendable, Equatable {
        /// False-positive rate, 0...1.
        public var fpr: Double
        /// True-positive rate, 0...1.
        public var tpr: Double

        public init(fpr: Double, tpr: Double) {
            self.fpr = fpr
            self.tpr = tpr
        }
    }

    /// The class (canonical label set).
    public var label: String
    /// Area under the curve: the probability that a positive scores above a negative, ties counting half.
    public var auc: Double
    /// Gold examples of the class.
    public var positives: Int
    /// Gold examples of other classes.
    public var negatives: Int
    /// Points from (0, 0) to (1, 1), thresholds decreasing; at most `Evaluator.maxROCPointsPerClass`.
    public var points: [Point]

    public init(label: String, auc: Double, positives: Int, negatives: Int, points: [Point]) {
        self.label = label
        self.auc = auc
        self.positives = positives
        self.negatives = negatives
        self.points = points
    }
}
