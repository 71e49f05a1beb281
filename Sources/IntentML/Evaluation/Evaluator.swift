/// Computes an `EvaluationReport` from scored examples: accuracy, per-class metrics, ROC-AUC, lift,
/// calibration and out-of-domain detection.
///
/// Works on `ScoredExample`s only, so every metric can be tested on hand-made values without a model.
/// Classes are label sets (see `EvaluationReport`). Never traps on odd input: empty data, gold sets the
/// model has never seen, score vectors of the wrong length and non-finite confidences all give finite numbers.
public enum Evaluator {
    /// Points kept per ROC curve: enough for a smooth line in the HTML report, few enough to keep the JSON small.
    public static let maxROCPointsPerClass = 50
    /// Lift is reported for the top 10%, 20%, ... 100%.
    static let liftDecileCount = 10
    /// The out-of-domain threshold keeps this percentage of in-domain examples (the usual "FPR at 95% TPR" point).
    static let keptInDomainPercent = 95

    /// Evaluates `examples` scored by a model whose classes are `classNames`.
    ///
    /// - Parameters:
    ///   - classNames: The model's classes as canonical label sets; `scores[i]` of each example is the
    ///     probability of `classNames[i]`.
    ///   - examples: Gold and predicted label sets with the model's confidence and scores.
    ///   - oodConfidences: Confidences on out-of-domain sentences, for AUROC and the rejection rate.
    ///   - eceBins: Equal-width bins for the expected calibration error (at least 1 is used).
    ///   - threshold: The model's `<unknown>` threshold, for the open-set view of `oodConfidences`.
    public static func evaluate(classNames: [String], examples: [ScoredExample], oodConfidences: [Float]? = nil,
                                threshold: Float? = nil, eceBins: Int = 10) -> EvaluationReport {
        let modelClasses = classNames.map { LabelSet(parsing: $0).canonical }
        let modelClassSet = Set(modelClasses)
        let correct = examples.map { $0.predicted == $0.gold }
        let correctCount = correct.filter { $0 }.count
        let exactStringCount = examples.filter { $0.predictedRaw == $0.goldRaw }.count
        let accuracy = ratio(correctCount, examples.count)

        var unseen: [String: Int] = [:]
        for example in examples where !modelClassSet.contains(example.gold.canonical) && !example.gold.isUnknown {
            // `<unknown>` gold is the rejection answer, reachable without being a class, so it is not "unseen".
            unseen[example.gold.canonical, default: 0] += 1
        }

        let roc = rocAnalysis(modelClasses: modelClasses, examples: examples)
        let perIntent = intentMetrics(examples: examples, modelClasses: modelClassSet, rocAUC: roc.aucByClass)
        // Closed-set data (no gold `<unknown>`): a rejection is an error of the intent it should have had,
        // not a class of its own with F1 0 that drags the macro average down.
        let averaged = examples.contains { $0.gold.isUnknown } ? perIntent : perIntent.filter { $0.label != LabelSet.unknownLabel }
        let supportTotal = perIntent.reduce(0) { $0 + $1.support }
        let calibration = calibrationBins(examples: examples, correct: correct, binCount: max(1, eceBins))

        return EvaluationReport(
            exampleCount: examples.count,
            accuracy: accuracy,
            accuracyExactString: ratio(exactStringCount, examples.count),
            // Every example has exactly one gold and one predicted class, so micro P = micro R = accuracy.
            microPrecision: accuracy,
            microRecall: accuracy,
            microF1: accuracy,
            macroPrecision: mean(averaged.map(\.precision)),
            macroRecall: mean(averaged.map(\.recall)),
            macroF1: mean(averaged.map(\.f1)),
            weightedF1: supportTotal > 0
                ? perIntent.reduce(0) { $0 + Double($1.support) * $1.f1 } / Double(supportTotal) : 0,
            predictedUnknown: examples.filter { $0.predicted.isUnknown }.count,
            unseenGoldLabels: unseen,
            perIntent: perIntent,
            confusion: ConfusionMatrix(
                labels: perIntent.map(\.label),
                pairs: examples.map { (gold: $0.gold.canonical, predicted: $0.predicted.canonical) }),
            rocAUCMacro: roc.curves.isEmpty ? nil : mean(roc.curves.map(\.auc)),
            rocAUCSkipped: roc.skipped,
            rocExcludedExamples: roc.excludedExamples,
            rocCurves: roc.curves,
            lift: lift(examples: examples, correct: correct, overallAccuracy: accuracy),
            ece: calibration.ece,
            reliabilityBins: calibration.bins,
            ood: oodConfidences.map { outOfDomain(examples: examples, oodConfidences: $0) },
            scopes: scopes(classes: modelClasses, examples: examples, oodConfidences: oodConfidences, threshold: threshold))
    }

    /// Per-class counts over every class that occurs in gold or predictions, in display order.
    static func intentMetrics(examples: [ScoredExample], modelClasses: Set<String>,
                              rocAUC: [String: Double]) -> [IntentMetrics] {
        var support: [String: Int] = [:]
        var predicted: [String: Int] = [:]
        var truePositives: [String: Int] = [:]
        for example in examples {
            let gold = example.gold.canonical
            support[gold, default: 0] += 1
            predicted[example.predicted.canonical, default: 0] += 1
            if example.predicted == example.gold { truePositives[gold, default: 0] += 1 }
        }
        let labels = ConfusionMatrix.displayOrder(Array(support.keys) + Array(predicted.keys))
        return labels.map { label in
            IntentMetrics(label: label, support: support[label] ?? 0, predicted: predicted[label] ?? 0,
                          truePositives: truePositives[label] ?? 0, rocAUC: rocAUC[label],
                          inModel: modelClasses.contains(label))
        }
    }

    /// `part / whole`, 0 for an empty whole (so empty input reports 0, never NaN).
    static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole > 0 ? Double(part) / Double(whole) : 0
    }

    /// The arithmetic mean, 0 for no values.
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// A model output as a finite `Double`: NaN and infinities become 0 so sorting and JSON stay well defined.
    static func finite(_ value: Float) -> Double {
        value.isFinite ? Double(value) : 0
    }
}
