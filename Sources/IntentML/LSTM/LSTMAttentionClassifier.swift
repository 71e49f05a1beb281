import Foundation

/// The second model kind: a bidirectional LSTM over word embeddings with self-attention pooling
/// (`LSTMAttentionNetwork`), answering through the same `Prediction` and `<unknown>` rules as the n-gram model.
///
/// Words are the tokenizer's (any script), looked up in the training vocabulary; id 0 is the unknown word,
/// which training teaches through word dropout. For serving, each word's input projection
/// `b + E[w] W_x` is tabulated per direction once, so a prediction runs only the recurrences, the
/// attention and the output layer. Scoring a batch pads it; padding changes nothing (see the network).
public struct LSTMAttentionClassifier: Sendable {
    public let hyperparameters: LSTMHyperparameters
    public let labels: LabelSpace
    public let vocabulary: Vocabulary
    /// All weights, laid out as `network` says.
    public let parameters: [Float]
    /// Below this confidence the answer is `<unknown>`.
    public var unknownThreshold: Float
    let network: LSTMAttentionNetwork
    let decision: ClassDecision
    /// Word to id (1...V-1); absent words are 0.
    let wordIDs: [String: Int32]
    /// Per direction [V x 4H]: `b + E[w] W_x` for every word.
    let projections: [[Float]]

    /// The id of every word not in the vocabulary.
    static let unknownWordID: Int32 = 0
    /// Sentences scored together when predicting many (`predictBatch`).
    static let inferenceBatchSize = 64

    /// Assembles a classifier; the parameter count must match the shapes (checked by the caller on load).
    init(hyperparameters: LSTMHyperparameters, labels: LabelSpace, vocabulary: Vocabulary, parameters: [Float], unknownThreshold: Float) {
        let network = LSTMAttentionNetwork(
            vocabularySize: vocabulary.count + 1, embeddingDimension: hyperparameters.embeddingDimension,
            hiddenSize: hyperparameters.hiddenSize, attentionSize: hyperparameters.attentionSize, classCount: labels.count)
        precondition(parameters.count == network.parameterCount, "parameter count does not match the network's shapes")
        self.hyperparameters = hyperparameters
        self.labels = labels
        self.vocabulary = vocabulary
        self.parameters = parameters
        self.unknownThreshold = unknownThreshold
        self.network = network
        decision = ClassDecision(labels: labels, loss: .softmax, labelSeparator: hyperparameters.labelSeparator)
        wordIDs = Self.wordIDs(of: vocabulary)
        let gates = network.gateSize
        projections = (0..<2).map { direction in
            var table = [Float](repeating: 0, count: network.vocabularySize * gates)
            parameters.withUnsafeBufferPointer { p in
                table.withUnsafeMutableBufferPointer { out in
                    guard let p = p.baseAddress, let out = out.baseAddress else { return }
                    for word in 0..<network.vocabularySize {
                        network.projectWord(word, direction: direction, parameters: p, into: out + word * gates)
                    }
                }
            }
            return table
        }
    }

    /// The word ids of `text`; a text with no tokens reads as one unknown word, so every text has an answer.
    func wordIDs(of text: String) -> [Int32] {
        Self.wordIDs(of: text, in: wordIDs)
    }

    /// Word to id: the vocabulary's words are 1...V-1 in its order, 0 is the unknown word.
    static func wordIDs(of vocabulary: Vocabulary) -> [String: Int32] {
        var ids: [String: Int32] = [:]
        for (index, word) in vocabulary.words.enumerated() { ids[word] = Int32(index + 1) }
        return ids
    }

    static func wordIDs(of text: String, in ids: [String: Int32]) -> [Int32] {
        let sentence = Tokenizer.tokens(of: text).map { ids[$0] ?? unknownWordID }
        return sentence.isEmpty ? [unknownWordID] : sentence
    }

    /// Class probabilities of each sentence ([B][C]), scored together as one padded batch.
    func probabilities(ofIDs sentences: [[Int32]], work: LSTMWorkspace) -> [[Float]] {
        guard !sentences.isEmpty else { return [] }
        let batch = LSTMBatch(sentences)
        projections[0].withUnsafeBufferPointer { forward in
            projections[1].withUnsafeBufferPointer { backward in
                parameters.withUnsafeBufferPointer { p in
                    guard let p = p.baseAddress, let forward = forward.baseAddress, let backward = backward.baseAddress else { return }
                    network.forward(batch, parameters: p, work: work, input: .tabulated(forward: forward, backward: backward), dropout: false)
                }
            }
        }
        let classes = labels.count
        return (0..<batch.count).map { b in Array(UnsafeBufferPointer(start: work.probabilities + b * classes, count: classes)) }
    }

    /// Class probabilities of one sentence.
    func probabilities(of text: String, work: LSTMWorkspace) -> [Float] {
        probabilities(ofIDs: [wordIDs(of: text)], work: work)[0]
    }

    /// Predicts the intent of `text` with the `topK` best in-domain classes.
    public func predict(_ text: String, topK: Int = 1) -> Prediction {
        let probabilities = probabilities(of: text, work: LSTMWorkspace())
        return decision.decide(probabilities: probabilities, topK: topK, unknownThreshold: unknownThreshold)
    }

    /// Predicts many sentences, scored in padded batches; each answer is the one `predict` gives alone.
    public func predictBatch(_ texts: [String], topK: Int = 1) -> [Prediction] {
        let work = LSTMWorkspace()
        var answers: [Prediction] = []
        answers.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(texts.count, start + Self.inferenceBatchSize)
            let scored = probabilities(ofIDs: texts[start..<end].map(wordIDs(of:)), work: work)
            for probabilities in scored {
                answers.append(decision.decide(probabilities: probabilities, topK: topK, unknownThreshold: unknownThreshold))
            }
            start = end
        }
        return answers
    }
}
