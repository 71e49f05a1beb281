/// How the `<unknown>` threshold is chosen (`intent train --calibration`).
public enum CalibrationRule: Sendable, Equatable, CustomStringConvertible {
    /// Open set only when asked: with out-of-domain validation sentences, `keepRate` lowered to
    /// `maxAccuracy` when that is lower (the rule described on `ThresholdCalibration`); without any, no
    /// threshold at all, since a closed-set dataset has nothing to reject.
    case auto
    /// The largest threshold that keeps `calibration_keep_rate` of the correct in-domain validation
    /// sentences, with or without out-of-domain data.
    case keepRate
    /// The threshold that maximises accuracy over in-domain and out-of-domain validation together.
    case maxAccuracy
    /// The lowest threshold that rejects at least this share of the out-of-domain validation sentences.
    case oodRecall(Float)
    /// No threshold: every sentence gets an intent.
    case none

    /// `auto`, `keep-rate`, `max-accuracy`, `ood-recall=0.9`, `none`; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "keep-rate": self = .keepRate
        case "max-accuracy": self = .maxAccuracy
        case "none": self = .none
        default:
            guard text.hasPrefix("ood-recall="), let value = Float(text.dropFirst("ood-recall=".count)), value > 0, value <= 1 else { return nil }
            self = .oodRecall(value)
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .keepRate: return "keep-rate"
        case .maxAccuracy: return "max-accuracy"
        case .oodRecall(let value): return "ood-recall=\(value)"
        case .none: return "none"
        }
    }

    /// Whether the rule needs out-of-domain validation sentences.
    public var needsOutOfDomain: Bool {
        switch self {
        case .maxAccuracy, .oodRecall: return true
        case .auto, .keepRate, .none: return false
        }
    }
}

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

    /// The threshold `rule` gives on this validation data (0 when there is nothing to calibrate on).
    public static func threshold(rule: CalibrationRule, inDomain: [Observation], outOfDomain: [Float], keepRate: Float) -> Float {
        switch rule {
        case .none: return 0
        case .auto: return outOfDomain.isEmpty ? 0 : threshold(inDomain: inDomain, outOfDomain: outOfDomain, keepRate: keepRate)
        case .keepRate: return keeping(inDomain: inDomain, keepRate: keepRate)
        case .maxAccuracy: return maxAccuracy(inDomain: inDomain, outOfDomain: outOfDomain)
        case .oodRecall(let recall):
            let sorted = outOfDomain.sorted()
            guard !sorted.isEmpty else { return 0 }
            // Rejecting below the next float above the k-th lowest confidence rejects those k sentences.
            let needed = min(sorted.count, max(1, Int((Float(sorted.count) * recall).rounded(.up))))
            return sorted[needed - 1].nextUp
        }
    }

    /// The largest threshold keeping `keepRate` of the correctly classified in-domain sentences.
    static func keeping(inDomain: [Observation], keepRate: Float) -> Float {
        let sorted = inDomain.filter(\.correct).map(\.confidence).sorted()
        guard !sorted.isEmpty else { return 0 }
        let rejected = Int((Float(sorted.count) * (1 - keepRate)).rounded(.down))
        return rejected == 0 ? 0 : sorted[min(rejected, sorted.count - 1)]
    }

    /// The threshold that maximises right answers over in-domain (kept and correct) and out-of-domain
    /// (rejected) sentences together; ties keep the lowest. 0 without out-of-domain sentences.
    static func maxAccuracy(inDomain: [Observation], outOfDomain: [Float]) -> Float {
        guard !outOfDomain.isEmpty else { return 0 }
        let sorted = inDomain.filter(\.correct).map(\.confidence).sorted()
        // Every distinct confidence is a candidate; 0 rejects nothing.
        // Sorted arrays and binary search keep this O(n log n) for large validation sets.
        let outOfDomainSorted = outOfDomain.sorted()
        let candidates = Set(inDomain.map(\.confidence) + outOfDomain + [0]).sorted()
        var best: (threshold: Float, right: Int) = (0, -1)
        for candidate in candidates {
            let kept = sorted.count - countBelow(candidate, in: sorted)
            let rejected = countBelow(candidate, in: outOfDomainSorted)
            if kept + rejected > best.right { best = (candidate, kept + rejected) }
        }
        return best.threshold
    }

    /// The threshold of the `auto` rule with out-of-domain data: the keep-rate threshold, lowered to the
    /// max-accuracy one when that is lower (the keep-rate one alone without out-of-domain sentences).
    public static func threshold(inDomain: [Observation], outOfDomain: [Float], keepRate: Float) -> Float {
        let keeping = keeping(inDomain: inDomain, keepRate: keepRate)
        if outOfDomain.isEmpty { return keeping }
        return min(maxAccuracy(inDomain: inDomain, outOfDomain: outOfDomain), keeping)
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
