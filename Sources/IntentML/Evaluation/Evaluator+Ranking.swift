/// The rank-based parts of an evaluation: one-vs-rest ROC per class and out-of-domain detection.
extension Evaluator {
    /// ROC results of all model classes.
    struct ROCAnalysis {
        /// Curves of the classes with both positives and negatives, in model order.
        var curves: [ROCCurve] = []
        /// Classes without positives or without negatives in the data.
        var skipped: [String] = []
        /// Examples whose score vector length differs from the number of classes.
        var excludedExamples = 0

        /// The area of each computed class by name.
        var aucByClass: [String: Double] {
            Dictionary(curves.map { ($0.label, $0.auc) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// One-vs-rest ROC for each class: the score of class `i` against "gold set is class `i`".
    static func rocAnalysis(modelClasses: [String], examples: [ScoredExample]) -> ROCAnalysis {
        var analysis = ROCAnalysis()
        let usable = examples.filter { $0.scores.count == modelClasses.count }
        analysis.excludedExamples = examples.count - usable.count
        let goldClasses = usable.map { $0.gold.canonical }
        for (index, name) in modelClasses.enumerated() {
            let scores = usable.map { finite($0.scores[index]) }
            let isPositive = goldClasses.map { $0 == name }
            let positives = zip(scores, isPositive).filter { $0.1 }.map(\.0)
            let negatives = zip(scores, isPositive).filter { !$0.1 }.map(\.0)
            guard let auc = RankStatistics.areaUnderCurve(positives: positives, negatives: negatives) else {
                analysis.skipped.append(name)
                continue
            }
            let points = RankStatistics.curve(scores: scores, isPositive: isPositive)
            analysis.curves.append(ROCCurve(
                label: name, auc: auc, positives: positives.count, negatives: negatives.count,
                points: RankStatistics.downsample(points, limit: maxROCPointsPerClass)))
        }
        return analysis
    }

    /// AUROC of in-domain against out-of-domain confidences and the rejection rate at 95% in-domain kept.
    static func outOfDomain(examples: [ScoredExample], oodConfidences: [Float]) -> OutOfDomainMetrics {
        // Examples labelled `<unknown>` are out of domain themselves, so they are not in-domain positives.
        let inDomain = examples.filter { !$0.gold.isUnknown }.map { finite($0.confidence) }
        let outOfDomain = oodConfidences.map(finite)
        var threshold: Double?
        var kept: Double?
        var rejected: Double?
        if !inDomain.isEmpty {
            let descending = inDomain.sorted(by: >)
            // Integer ceiling of 95% so 20 examples keep exactly 19, without floating-point rounding.
            let keepCount = max(1, (descending.count * keptInDomainPercent + 99) / 100)
            let cut = descending[keepCount - 1]
            threshold = cut
            kept = ratio(descending.filter { $0 >= cut }.count, descending.count)
            if !outOfDomain.isEmpty { rejected = ratio(outOfDomain.filter { $0 < cut }.count, outOfDomain.count) }
        }
        return OutOfDomainMetrics(
            count: outOfDomain.count, inDomainCount: inDomain.count,
            auroc: RankStatistics.areaUnderCurve(positives: inDomain, negatives: outOfDomain),
            thresholdAt95Kept: threshold, inDomainKeptAt95: kept, rejectedAt95Kept: rejected)
    }
}
