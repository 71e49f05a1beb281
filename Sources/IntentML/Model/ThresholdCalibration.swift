/// Chooses the confidence below which the answer is `<unknown>`, on validation data only.
///
/// The threshold is the largest that still keeps `keepRate` of the in-domain validation sentences the
/// model classifies correctly (rejecting a sentence it gets wrong anyway costs nothing). With
/// out-of-domain validation sentences, it is lowered further to the threshold that maximises accuracy
/// over in-domain and out-of-domain validation together (an in-domain sentence counts as right when kept
/// and correctly classified, an out-of-domain one when rejected), when that is lower. A handful of
/// out-of-domain examples must not buy a threshold that rejects real users' sentences once the traffic
/// drifts from the validation data.
public enum ThresholdCalibration {
    /// One in-domain validation sentence: its confidence and whether the model's answer was right.
    public struct Observation: Sendable {
        public var confidence: Float
        public var correct: Bool
        public init(confidence: Float, correct: Bool) {
            self.confidence = confidence
            self.correct = correct
        }
    }

    /// The calibrated threshold (0 when there is nothing to calibrate on).
    public static func threshold(inDomain: [Observation], outOfDomain: [Float], keepRate: Float) -> Float {
        let sorted = inDomain.filter(\.correct).map(\.confidence).sorted()
        guard !sorted.isEmpty else { return 0 }
        let rejected = Int((Float(sorted.count) * (1 - keepRate)).rounded(.down))
        let keeping = rejected == 0 ? 0 : sorted[min(rejected, sorted.count - 1)]
        if outOfDomain.isEmpty { return keeping }
        // Every distinct confidence is a candidate; 0 rejects nothing. Ties keep the lowest threshold.
        // Sorted arrays and binary search keep this O(n log n) for large validation sets.
        let outOfDomainSorted = outOfDomain.sorted()
        let candidates = Set(inDomain.map(\.confidence) + outOfDomain + [0]).sorted()
        var best: (threshold: Float, right: Int) = (0, -1)
        for candidate in candidates {
            let kept = sorted.count - countBelow(candidate, in: sorted)
            let rejected = countBelow(candidate, in: outOfDomainSorted)
            if kept + rejected > best.right { best = (candidate, kept + rejected) }
        }
        return min(best.threshold, keeping)
    }

    /// How many values of the ascending array `sorted` are strictly below `value`.
    static func countBelow(_ value: Float, in sorted: [Float]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
