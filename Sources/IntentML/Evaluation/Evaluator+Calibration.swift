/// The confidence-based parts of an evaluation: expected calibration error and lift by decile.
extension Evaluator {
    /// Equal-width reliability bins over [0, 1] and the expected calibration error
    /// `ECE = sum over bins of (count / n) * |accuracy - mean confidence|`.
    static func calibrationBins(examples: [ScoredExample], correct: [Bool],
                                binCount: Int) -> (ece: Double, bins: [CalibrationBin]) {
        var counts = Array(repeating: 0, count: binCount)
        var confidenceSums = Array(repeating: 0.0, count: binCount)
        var correctCounts = Array(repeating: 0, count: binCount)
        for (example, isCorrect) in zip(examples, correct) {
            let confidence = example.confidence.isFinite ? min(max(example.confidence, 0), 1) : 0
            // The bin index is computed in Float, the confidence's own precision, so 0.7 lands in [0.7, 0.8)
            // rather than slipping to [0.6, 0.7) through its Double expansion 0.69999998...; 1.0 goes in the last bin.
            let bin = min(Int(confidence * Float(binCount)), binCount - 1)
            counts[bin] += 1
            confidenceSums[bin] += Double(confidence)
            if isCorrect { correctCounts[bin] += 1 }
        }
        let bins = (0..<binCount).map { bin in
            CalibrationBin(
                lower: Double(bin) / Double(binCount), upper: Double(bin + 1) / Double(binCount), count: counts[bin],
                meanConfidence: counts[bin] > 0 ? confidenceSums[bin] / Double(counts[bin]) : 0,
                accuracy: ratio(correctCounts[bin], counts[bin]))
        }
        let total = examples.count
        let ece = total > 0 ? bins.reduce(0) { $0 + Double($1.count) / Double(total) * $1.gap } : 0
        return (ece, bins)
    }

    /// Accuracy within the most confident 10%, 20%, ... 100% of examples and its ratio to the overall accuracy.
    static func lift(examples: [ScoredExample], correct: [Bool], overallAccuracy: Double) -> [LiftPoint] {
        guard !examples.isEmpty else { return [] }
        // Most confident first; equal confidences keep data order so the result is deterministic.
        let order = examples.indices.sorted { lhs, rhs in
            let left = finite(examples[lhs].confidence)
            let right = finite(examples[rhs].confidence)
            return left != right ? left > right : lhs < rhs
        }
        return (1...liftDecileCount).map { decile in
            let count = max(1, (examples.count * decile + liftDecileCount - 1) / liftDecileCount)
            let top = order.prefix(count)
            let accuracy = ratio(top.filter { correct[$0] }.count, count)
            let meanConfidence = top.reduce(0) { $0 + finite(examples[$1].confidence) } / Double(count)
            return LiftPoint(
                decile: decile, share: Double(decile) / Double(liftDecileCount), count: count, accuracy: accuracy,
                meanConfidence: meanConfidence, lift: overallAccuracy > 0 ? accuracy / overallAccuracy : nil)
        }
    }
}
