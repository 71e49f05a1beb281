/// Rank-based measures of how well a score separates positives from negatives: ROC-AUC and ROC points.
///
/// The area is the Mann-Whitney statistic computed from average ranks, so tied scores count half, the same
/// as the trapezoid under a ROC curve whose tied stretch is drawn as a diagonal.
enum RankStatistics {
    /// The probability that a random positive scores above a random negative (ties count half);
    /// `nil` when either side is empty.
    static func areaUnderCurve(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let scored = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var positiveRankSum = 0.0
        var start = 0
        while start < scored.count {
            var end = start
            while end + 1 < scored.count && scored[end + 1].0 == scored[start].0 { end += 1 }
            // Ranks are 1-based; every member of a tie group gets the group's mean rank.
            let averageRank = Double(start + end + 2) / 2
            for position in start...end where scored[position].1 { positiveRankSum += averageRank }
            start = end + 1
        }
        let positiveCount = Double(positives.count)
        let negativeCount = Double(negatives.count)
        return (positiveRankSum - positiveCount * (positiveCount + 1) / 2) / (positiveCount * negativeCount)
    }

    /// The ROC curve from (0, 0) to (1, 1): one point per distinct score, thresholds decreasing.
    ///
    /// Tied scores move both rates in one step, so the curve's trapezoid area equals `areaUnderCurve`.
    static func curve(scores: [Double], isPositive: [Bool]) -> [ROCCurve.Point] {
        precondition(scores.count == isPositive.count, "one label per score")
        let positiveTotal = isPositive.filter { $0 }.count
        let negativeTotal = isPositive.count - positiveTotal
        guard positiveTotal > 0, negativeTotal > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [ROCCurve.Point(fpr: 0, tpr: 0)]
        var truePositives = 0
        var falsePositives = 0
        var position = 0
        while position < order.count {
            let score = scores[order[position]]
            while position < order.count && scores[order[position]] == score {
                if isPositive[order[position]] { truePositives += 1 } else { falsePositives += 1 }
                position += 1
            }
            points.append(ROCCurve.Point(fpr: Double(falsePositives) / Double(negativeTotal),
                                         tpr: Double(truePositives) / Double(positiveTotal)))
        }
        return points
    }

    /// At most `limit` points spread evenly along `points`, always keeping the first and the last.
    static func downsample(_ points: [ROCCurve.Point], limit: Int) -> [ROCCurve.Point] {
        guard points.count > limit, limit >= 2 else { return points }
        let last = points.count - 1
        return (0..<limit).map { step in
            // Rounded even spacing; with more points than the limit the indices are strictly increasing.
            points[(step * last + (limit - 1) / 2) / (limit - 1)]
        }
    }

    /// The trapezoid area under a curve of points with increasing false-positive rate.
    static func trapezoidArea(_ points: [ROCCurve.Point]) -> Double {
        zip(points, points.dropFirst()).reduce(0) { area, segment in
            area + (segment.1.fpr - segment.0.fpr) * (segment.1.tpr + segment.0.tpr) / 2
        }
    }
}
