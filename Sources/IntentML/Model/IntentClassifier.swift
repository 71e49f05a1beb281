/// A trained model of any kind, behind one interface: what the bundle holds and what evaluation,
/// batch prediction and the API call.
public enum IntentClassifier: Sendable {
    case ngram(NGramClassifier)
    case lstmAttention(LSTMAttentionClassifier)
    case ensemble(EnsembleClassifier)

    /// Reusable per-thread buffers for `predict`.
    public struct Scratch: Sendable {
        var ngram = NGramClassifier.Scratch()
        /// Made on the first LSTM or ensemble prediction: an n-gram request must not pay for buffers it
        /// never uses.
        var lstm: LSTMWorkspace?
        /// The probabilities of the last LSTM or ensemble prediction (an n-gram one's stay in `ngram`).
        var computed: [Float] = []
        var lastWasNGram = true
        public init() {}

        /// The class probabilities of the last sentence predicted (read in place: no copy per prediction).
        public var probabilities: [Float] { lastWasNGram ? ngram.probabilities : computed }

        mutating func workspace() -> LSTMWorkspace {
            let work = lstm ?? LSTMWorkspace()
            lstm = work
            return work
        }
    }

    /// The manifest's `model_kind`.
    public var kind: String {
        switch self {
        case .ngram: return ModelManifest.ngramKind
        case .lstmAttention: return ModelManifest.lstmAttentionKind
        case .ensemble: return ModelManifest.ensembleKind
        }
    }

    public var labels: LabelSpace {
        switch self {
        case .ngram(let model): return model.labels
        case .lstmAttention(let model): return model.labels
        case .ensemble(let model): return model.labels
        }
    }

    /// Below this confidence the answer is `<unknown>`.
    public var unknownThreshold: Float {
        get {
            switch self {
            case .ngram(let model): return model.unknownThreshold
            case .lstmAttention(let model): return model.unknownThreshold
            case .ensemble(let model): return model.unknownThreshold
            }
        }
        set {
            switch self {
            case .ngram(var model): model.unknownThreshold = newValue; self = .ngram(model)
            case .lstmAttention(var model): model.unknownThreshold = newValue; self = .lstmAttention(model)
            case .ensemble(var model): model.unknownThreshold = newValue; self = .ensemble(model)
            }
        }
    }

    /// The n-gram model, for what only it offers (exact linear explanations).
    public var ngram: NGramClassifier? {
        if case .ngram(let model) = self { return model }
        return nil
    }

    /// Predicts the intent of `text` with the `topK` best in-domain classes.
    public func predict(_ text: String, topK: Int = 1, scratch: inout Scratch) -> Prediction {
        switch self {
        case .ngram(let model):
            scratch.lastWasNGram = true
            return model.predict(text, topK: topK, scratch: &scratch.ngram)
        case .lstmAttention(let model):
            scratch.lastWasNGram = false
            scratch.computed = model.probabilities(of: text, work: scratch.workspace())
            return model.decision.decide(probabilities: scratch.computed, topK: topK, unknownThreshold: model.unknownThreshold)
        case .ensemble(let model):
            scratch.lastWasNGram = false
            let work = scratch.workspace()
            scratch.computed = model.probabilities(of: text, ngram: &scratch.ngram, work: work)
            return model.decision.decide(probabilities: scratch.computed, topK: topK, unknownThreshold: model.unknownThreshold)
        }
    }

    /// Predicts one sentence with fresh buffers (convenient; allocates).
    public func predict(_ text: String, topK: Int = 1) -> Prediction {
        var scratch = Scratch()
        return predict(text, topK: topK, scratch: &scratch)
    }

    /// The model's answer and scores for every example, in order, ready for `Evaluator`.
    public func scoredExamples(_ examples: [LabeledExample]) -> [ScoredExample] {
        var scratch = Scratch()
        return examples.map { example in
            let prediction = predict(example.text, topK: 1, scratch: &scratch)
            return ScoredExample(
                gold: example.labels, goldRaw: example.rawLabel.trimmingWhitespace(), predicted: prediction.labels,
                predictedRaw: prediction.intent, confidence: prediction.confidence, scores: scratch.probabilities)
        }
    }

    /// The confidence of each sentence, for out-of-domain metrics.
    public func confidences<S: Sequence>(_ texts: S) -> [Float] where S.Element == String {
        var scratch = Scratch()
        return texts.map { predict($0, topK: 1, scratch: &scratch).confidence }
    }
}
