/// Everything `Evaluator` measured on one labelled data set: the JSON contract of `intent evaluate`.
///
/// Classes are label *sets*: each distinct canonical gold or predicted set (`airfare+flight`, `flight`,
/// `<unknown>`) is one class, so a multi-intent sentence is right only when its whole set is right.
/// Every number is finite; a value that cannot be computed (no positives, no OOD data) is `nil` and left
/// out of the JSON. The keys are snake_case and spelled out in `CodingKeys` because scripts read them.
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// The number of evaluated examples.
    public var exampleCount: Int
    /// The share of examples whose predicted label set equals the gold set (`flight+airfare` = `airfare+flight`).
    public var accuracy: Double
    /// The share of examples whose predicted class name is the gold label as written, character for character.
    public var accuracyExactString: Double
    /// Micro-averaged precision over label-set classes. With one gold and one predicted set per example this
    /// equals `accuracy`; it is reported so the JSON has the usual trio.
    public var microPrecision: Double
    /// Micro-averaged recall over label-set classes (equals `accuracy`, see `microPrecision`).
    public var microRecall: Double
    /// Micro-averaged F1 over label-set classes (equals `accuracy`, see `microPrecision`).
    public var microF1: Double
    /// Unweighted mean precision over every class that occurs in gold or predictions (0 for a class never
    /// predicted); `<unknown>` counts as a class only when the data has gold `<unknown>` rows.
    public var macroPrecision: Double
    /// Unweighted mean recall over the same classes (0 for a class only ever predicted, never gold).
    public var macroRecall: Double
    /// Unweighted mean of the per-class F1 over the same classes.
    public var macroF1: Double
    /// The per-class F1 weighted by gold support.
    public var weightedF1: Double
    /// How many examples were answered `<unknown>` (rejected as out of domain).
    public var predictedUnknown: Int
    /// Gold label sets that are not classes of the model, with their example counts. The model cannot
    /// produce them, so these examples are always errors; retrain with them or fix the data.
    public var unseenGoldLabels: [String: Int]
    /// Precision, recall, F1 and ROC-AUC for each class, in `confusion.labels` order.
    public var perIntent: [IntentMetrics]
    /// Gold rows by predicted columns over every class seen in gold or predictions.
    public var confusion: ConfusionMatrix
    /// The mean one-vs-rest ROC-AUC over classes with both positives and negatives; `nil` when there is none.
    public var rocAUCMacro: Double?
    /// Model classes left out of `rocAUCMacro` because the data has no positives or no negatives for them.
    public var rocAUCSkipped: [String]
    /// Examples left out of ROC-AUC because their score vector does not have one score per class.
    public var rocExcludedExamples: Int
    /// Downsampled ROC curves of the classes in `rocAUCMacro`, for plotting.
    public var rocCurves: [ROCCurve]
    /// Accuracy and lift among the most confident 10%, 20%, ... 100% of examples.
    public var lift: [LiftPoint]
    /// Expected calibration error of `confidence` against set-match correctness, over `reliabilityBins`.
    public var ece: Double
    /// Equal-width confidence bins of the reliability diagram, lowest first.
    public var reliabilityBins: [CalibrationBin]
    /// Out-of-domain detection, when out-of-domain confidences were given.
    public var ood: OutOfDomainMetrics?
    /// The closed-set view (known intents, no threshold) and, with out-of-domain sentences, the open-set one.
    public var scopes: ScopeMetrics?

    enum CodingKeys: String, CodingKey {
        case exampleCount = "n"
        case accuracy
        case accuracyExactString = "accuracy_exact_string"
        case microPrecision = "micro_precision"
        case microRecall = "micro_recall"
        case microF1 = "micro_f1"
        case macroPrecision = "macro_precision"
        case macroRecall = "macro_recall"
        case macroF1 = "macro_f1"
        case weightedF1 = "weighted_f1"
        case predictedUnknown = "predicted_unknown"
        case unseenGoldLabels = "unseen_gold_labels"
        case perIntent = "per_intent"
        case confusion
        case rocAUCMacro = "roc_auc_macro"
        case rocAUCSkipped = "roc_auc_skipped"
        case rocExcludedExamples = "roc_excluded_examples"
        case rocCurves = "roc_curves"
        case lift
        case ece
        case reliabilityBins = "reliability_bins"
        case ood
        case scopes
    }

    /// The number of examples whose gold set is not a class of the model.
    public var unseenGoldCount: Int { unseenGoldLabels.values.reduce(0, +) }
}
