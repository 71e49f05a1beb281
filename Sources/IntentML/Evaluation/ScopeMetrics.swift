/// The two views of an evaluation that open-set data needs apart.
///
/// - Closed set: how well the model tells the known intents apart, each sentence answered with its most
///   likely class (no threshold), over the in-domain sentences only, macro-averaged over the intents they
///   hold. What a closed-set benchmark reports.
/// - Open set (when there are out-of-domain sentences: gold `<unknown>` rows or `--ood`): at the model's
///   own threshold, how many in-scope sentences are answered right, and how many out-of-scope ones are
///   rejected (recall) and how many rejections are out-of-scope sentences (precision).
public struct ScopeMetrics: Codable, Sendable, Equatable {
    /// In-domain sentences.
    public var inScopeCount: Int
    /// Share of in-domain sentences whose most likely class is their gold set.
    public var closedSetAccuracy: Double
    /// Macro-F1 of the most likely class over the intents the in-domain sentences hold.
    public var closedSetMacroF1: Double
    /// Out-of-domain sentences (gold `<unknown>` rows and `--ood` sentences); 0 for closed-set data.
    public var outOfScopeCount: Int
    /// Share of in-domain sentences answered with their gold set at the model's threshold; nil without
    /// out-of-domain sentences.
    public var inScopeAccuracy: Double?
    /// Share of out-of-domain sentences rejected at the model's threshold.
    public var outOfScopeRecall: Double?
    /// Share of rejected sentences that are out of domain; nil when nothing was rejected.
    public var outOfScopePrecision: Double?

    enum CodingKeys: String, CodingKey {
        case inScopeCount = "in_scope_n"
        case closedSetAccuracy = "closed_set_accuracy"
        case closedSetMacroF1 = "closed_set_macro_f1"
        case outOfScopeCount = "out_of_scope_n"
        case inScopeAccuracy = "in_scope_accuracy"
        case outOfScopeRecall = "out_of_scope_recall"
        case outOfScopePrecision = "out_of_scope_precision"
    }
}

extension Evaluator {
    /// The closed-set and open-set views; `threshold` is the model's, `oodConfidences` those of `--ood`.
    static func scopes(classes: [String], examples: [ScoredExample], oodConfidences: [Float]?, threshold: Float?) -> ScopeMetrics {
        let inScope = examples.filter { !$0.gold.isUnknown }
        // Most likely class, ignoring the threshold.
        var pairs: [(gold: String, predicted: String)] = []
        for example in inScope {
            var best = -1
            var bestScore = -Float.infinity
            for (index, score) in example.scores.enumerated() where score.isFinite && score > bestScore {
                best = index
                bestScore = score
            }
            let predicted = best >= 0 && best < classes.count ? classes[best] : example.predicted.canonical
            pairs.append((example.gold.canonical, predicted))
        }
        let right = pairs.filter { $0.gold == $0.predicted }.count
        var f1s: [Double] = []
        for intent in Set(pairs.map(\.gold)) {
            let truePositives = pairs.filter { $0.gold == intent && $0.predicted == intent }.count
            let predictedCount = pairs.filter { $0.predicted == intent }.count
            let support = pairs.filter { $0.gold == intent }.count
            let precision = ratio(truePositives, predictedCount), recall = ratio(truePositives, support)
            f1s.append(precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
        }
        let goldUnknown = examples.filter { $0.gold.isUnknown }
        let oodCount = goldUnknown.count + (oodConfidences?.count ?? 0)
        var metrics = ScopeMetrics(inScopeCount: inScope.count, closedSetAccuracy: ratio(right, inScope.count), closedSetMacroF1: mean(f1s),
                                   outOfScopeCount: oodCount)
        guard oodCount > 0 else { return metrics }
        metrics.inScopeAccuracy = ratio(inScope.filter { $0.predicted == $0.gold }.count, inScope.count)
        let rejectedOOD = goldUnknown.filter { $0.predicted.isUnknown }.count
            + (oodConfidences ?? []).filter { !($0 >= (threshold ?? 0)) }.count
        metrics.outOfScopeRecall = ratio(rejectedOOD, oodCount)
        let rejectedInScope = inScope.filter { $0.predicted.isUnknown }.count
        metrics.outOfScopePrecision = rejectedOOD + rejectedInScope > 0 ? ratio(rejectedOOD, rejectedOOD + rejectedInScope) : nil
        return metrics
    }
}
