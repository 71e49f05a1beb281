import Foundation

/// An n-gram model and an LSTM with self-attention, trained on the same examples, answering together:
/// `p = w * p_ngram + (1 - w) * p_lstm` over their shared classes, then the usual decision (best class,
/// `<unknown>` below the threshold or when it wins).
public struct EnsembleClassifier: Sendable {
    public let ngram: NGramClassifier
    public let lstmAttention: LSTMAttentionClassifier
    public let hyperparameters: EnsembleHyperparameters
    public var unknownThreshold: Float
    let decision: ClassDecision

    /// Pairs two members trained on the same examples: they must have the same classes in the same order.
    /// The members' settings are taken from the members themselves (so a bundle always describes the
    /// weights it holds); `hyperparameters` gives the weight and the shared settings.
    public init(ngram: NGramClassifier, lstmAttention: LSTMAttentionClassifier, hyperparameters: EnsembleHyperparameters,
                unknownThreshold: Float) throws {
        guard ngram.labels.classes == lstmAttention.labels.classes else {
            throw EnsembleError.differentClasses(ngram: ngram.labels.classes, lstm: lstmAttention.labels.classes)
        }
        var settings = hyperparameters
        settings.ngram = ngram.hyperparameters
        settings.lstmAttention = lstmAttention.hyperparameters
        self.ngram = ngram
        self.lstmAttention = lstmAttention
        self.hyperparameters = settings.synced
        self.unknownThreshold = unknownThreshold
        decision = ClassDecision(labels: ngram.labels, loss: .softmax, labelSeparator: hyperparameters.labelSeparator)
    }

    public var labels: LabelSpace { ngram.labels }

    /// The averaged class probabilities of `text`, with the n-gram member's buffers and the LSTM's
    /// workspace of the caller (`IntentClassifier.Scratch`).
    func probabilities(of text: String, ngram ngramScratch: inout NGramClassifier.Scratch, work: LSTMWorkspace) -> [Float] {
        ngram.score(text, scratch: &ngramScratch)
        let lstm = lstmAttention.probabilities(of: text, work: work)
        let weight = hyperparameters.ngramWeight
        return zip(ngramScratch.probabilities, lstm).map { weight * $0 + (1 - weight) * $1 }
    }
}

/// Members that cannot form an ensemble.
public enum EnsembleError: Error, CustomStringConvertible, Equatable {
    case differentClasses(ngram: [String], lstm: [String])

    public var description: String {
        switch self {
        case let .differentClasses(ngram, lstm):
            return "the ensemble's members have different classes (n-gram: \(ngram.count), lstm-attention: \(lstm.count)); train both on the same examples"
        }
    }
}
