/// A label with its score, one row of a top-k list.
public struct ScoredLabel: Hashable, Sendable, Codable {
    /// The class name as the model outputs it (`flight+airfare`).
    public var label: String
    /// The model's probability for this class.
    public var score: Float

    public init(label: String, score: Float) {
        self.label = label
        self.score = score
    }
}

/// What a classifier answers for one sentence.
public struct Prediction: Hashable, Sendable {
    /// The chosen class's name (`flight+airfare`), or `<unknown>` when the sentence is out of domain.
    public var intent: String
    /// The chosen class as a label set (`["airfare", "flight"]`), or `["<unknown>"]`.
    public var labels: LabelSet
    /// The probability of the most likely in-domain class; compared with the model's unknown threshold.
    public var confidence: Float
    /// Whether the answer is `<unknown>` (below the threshold, or the `<unknown>` class won).
    public var isUnknown: Bool
    /// The best in-domain classes, most likely first.
    public var topK: [ScoredLabel]

    public init(intent: String, labels: LabelSet, confidence: Float, isUnknown: Bool, topK: [ScoredLabel]) {
        self.intent = intent
        self.labels = labels
        self.confidence = confidence
        self.isUnknown = isUnknown
        self.topK = topK
    }
}
