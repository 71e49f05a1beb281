import Foundation

/// Supervised feature weights: how much a feature says about the intent, from training counts.
///
/// In intent data most words name things (cities, dates, airlines) and occur with every intent in about
/// the proportions of the intents themselves; a few words (`fare`, `meal`, `ground`) carry the intent. A
/// plain mean of feature embeddings gives both the same say, so a long sentence full of names drowns its
/// one informative word. Each feature f gets the weight `1 + strength * KL(p(c|f) || p(c))`: the
/// Kullback-Leibler divergence between the class distribution of the sentences containing f (smoothed
/// toward the prior with `smoothing` pseudo-counts, so a feature seen once cannot claim certainty) and
/// the class prior. Names score near 0 and keep weight 1; intent words score high. The weights are fixed
/// before SGD, so the model stays linear and its explanations exact.
public enum FeatureWeighting {
    /// Weight of a feature never seen in training: the neutral weight.
    public static let unseenWeight: Float = 1

    /// Weights for `rowCount` feature rows from (row, class) document counts.
    ///
    /// - Parameters:
    ///   - counts: for each (row, class) pair, the number of training sentences of that class containing it.
    ///   - classTotals: training sentences per class.
    static func weights(rowCount: Int, counts: [Int64: Int32], classTotals: [Int], strength: Float, smoothing: Float) -> [Float] {
        guard strength > 0, rowCount > 0 else { return Array(repeating: 1, count: rowCount) }
        let classCount = classTotals.count
        let total = Float(max(classTotals.reduce(0, +), 1))
        let prior = classTotals.map { max(Float($0) / total, 1e-9) }
        var perRow = Array(repeating: [Float](repeating: 0, count: classCount), count: rowCount)
        for (key, count) in counts {
            let row = Int(key / Int64(classCount)), cls = Int(key % Int64(classCount))
            perRow[row][cls] += Float(count)
        }
        return perRow.map { classCounts in
            let rowTotal = classCounts.reduce(0, +)
            var divergence: Float = 0
            for c in 0..<classCount {
                let smoothed = (classCounts[c] + smoothing * prior[c]) / (rowTotal + smoothing)
                if smoothed > 0 { divergence += smoothed * logf(smoothed / prior[c]) }
            }
            return 1 + strength * max(divergence, 0)
        }
    }
}
