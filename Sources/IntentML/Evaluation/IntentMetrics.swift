/// One row of the per-intent table: how well the model does on one label-set class.
public struct IntentMetrics: Codable, Sendable, Equatable {
    /// The class: a canonical label set such as `airfare+flight`, or `<unknown>`.
    public var label: String
    /// Gold examples of this class.
    public var support: Int
    /// Examples predicted as this class.
    public var predicted: Int
    /// Examples predicted as this class whose gold is this class.
    public var truePositives: Int
    /// `truePositives / predicted`, 0 when the class is never predicted.
    public var precision: Double
    /// `truePositives / support`, 0 when the class has no gold examples.
    public var recall: Double
    /// The harmonic mean of precision and recall, 0 when both are 0.
    public var f1: Double
    /// One-vs-rest ROC-AUC of the model's score for this class; `nil` when not computable.
    public var rocAUC: Double?
    /// Whether the class is one of the model's classes (false for unseen gold sets).
    public var inModel: Bool

    enum CodingKeys: String, CodingKey {
        case label
        case support
        case predicted
        case truePositives = "true_positives"
        case precision
        case recall
        case f1
        case rocAUC = "roc_auc"
        case inModel = "in_model"
    }

    /// Derives precision, recall and F1 from the counts of one class.
    public init(label: String, support: Int, predicted: Int, truePositives: Int, rocAUC: Double?, inModel: Bool) {
        self.label = label
        self.support = support
        self.predicted = predicted
        self.truePositives = truePositives
        // Ill-defined ratios are 0 (scikit-learn's zero_division=0), so the JSON never holds NaN.
        precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
        recall = support > 0 ? Double(truePositives) / Double(support) : 0
        f1 = IntentMetrics.harmonicMean(precision, recall)
        self.rocAUC = rocAUC
        self.inModel = inModel
    }

    /// `2pr / (p + r)`, or 0 when both are 0.
    static func harmonicMean(_ precision: Double, _ recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}
