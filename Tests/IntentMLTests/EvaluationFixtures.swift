import Testing
@testable import IntentML

/// Hand-made scored examples for the evaluation tests, so metrics are checked without a model.
enum EvaluationFixtures {
    /// An example whose gold and predicted labels are written as raw strings (`airfare+flight`).
    static func example(gold: String, predicted: String, confidence: Float = 0.9, scores: [Float] = []) -> ScoredExample {
        ScoredExample(gold: LabelSet(parsing: gold), goldRaw: gold, predicted: LabelSet(parsing: predicted),
                      predictedRaw: predicted, confidence: confidence, scores: scores)
    }

    /// `count` copies of one gold/predicted pair.
    static func examples(_ count: Int, gold: String, predicted: String) -> [ScoredExample] {
        Array(repeating: example(gold: gold, predicted: predicted), count: count)
    }

    /// Whether two numbers agree to `tolerance` (Float inputs carry about 1e-7 relative error).
    static func close(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-6) -> Bool {
        guard let actual else { return false }
        return abs(actual - expected) <= tolerance
    }

    /// The per-intent row of `label`.
    static func row(_ report: EvaluationReport, _ label: String) -> IntentMetrics? {
        report.perIntent.first { $0.label == label }
    }
}
