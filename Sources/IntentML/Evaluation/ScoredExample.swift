/// One evaluated sentence: what it should be, what the model said, and the model's scores.
///
/// The evaluator works on these only, so metrics can be tested on hand-made values without a model.
public struct ScoredExample: Sendable {
    /// The gold label set.
    public var gold: LabelSet
    /// The gold label as written in the data (`airfare+flight`), for exact-string accuracy.
    public var goldRaw: String
    /// The predicted label set, `{<unknown>}` when the model rejected the sentence.
    public var predicted: LabelSet
    /// The predicted class name as the model writes it (`flight+airfare`), or `<unknown>`.
    public var predictedRaw: String
    /// The probability of the most likely in-domain class.
    public var confidence: Float
    /// Probabilities for every class of the model, in the order of `Evaluator`'s `classNames`.
    public var scores: [Float]

    public init(gold: LabelSet, goldRaw: String, predicted: LabelSet, predictedRaw: String, confidence: Float, scores: [Float]) {
        self.gold = gold
        self.goldRaw = goldRaw
        self.predicted = predicted
        self.predictedRaw = predictedRaw
        self.confidence = confidence
        self.scores = scores
    }
}
