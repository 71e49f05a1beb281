import Foundation

/// The default model: a fastText-class linear classifier over hashed word and character n-grams.
///
/// Architecture. A sentence becomes N feature ids (in-vocabulary words, word n-grams with sentence
/// boundaries, character n-grams; see `FeatureExtractor`). Each id seen in training owns a row of the
/// embedding matrix `E: [rows x D]`; the sentence vector is the mean `h = (1/N) sum E[f]` over all N ids
/// (an id never seen in training adds a zero row but still counts in N). A linear layer
/// `z = W h + b` with `W: [C x D]` gives one score per class, turned into probabilities by a softmax over
/// label sets (multi-class) or one sigmoid per label (one-vs-all, multi-label). Because every step is
/// linear up to the output, the contribution of each feature to a class score is exact:
/// `z_c = b_c + sum_f (W_c . E_f) / N`, which is what `explain` reports.
public struct NGramClassifier: Sendable {
    /// The settings the model was trained with.
    public let hyperparameters: Hyperparameters
    /// The classes and their answer names.
    public let labels: LabelSpace
    /// Text to feature ids, with the trained vocabulary.
    public let extractor: FeatureExtractor
    /// Feature id to embedding row.
    public let table: FeatureTable
    /// Supervised weight of each row in the sentence mean (`FeatureWeighting`).
    public let featureWeights: [Float]
    /// E: [rows x D], row-major.
    public internal(set) var embeddings: [Float]
    /// W: [C x D], row-major.
    public internal(set) var output: [Float]
    /// b: [C].
    public internal(set) var bias: [Float]
    /// Below this confidence the answer is `<unknown>`.
    public var unknownThreshold: Float
    /// Probabilities to answers (shared with the LSTM).
    let decision: ClassDecision

    /// Assembles a model from its parts; sizes must agree (checked).
    public init(
        hyperparameters: Hyperparameters, labels: LabelSpace, vocabulary: Vocabulary, table: FeatureTable,
        featureWeights: [Float], embeddings: [Float], output: [Float], bias: [Float], unknownThreshold: Float
    ) {
        let dimension = hyperparameters.dimension
        precondition(embeddings.count == table.count * dimension, "embedding size does not match the table")
        precondition(featureWeights.count == table.count, "one feature weight per row is needed")
        precondition(output.count == labels.count * dimension && bias.count == labels.count, "output size mismatch")
        self.hyperparameters = hyperparameters
        self.labels = labels
        self.extractor = FeatureExtractor(hyperparameters: hyperparameters, vocabulary: vocabulary)
        self.table = table
        self.featureWeights = featureWeights
        self.embeddings = embeddings
        self.output = output
        self.bias = bias
        self.unknownThreshold = unknownThreshold
        decision = ClassDecision(labels: labels, loss: hyperparameters.loss, labelSeparator: hyperparameters.labelSeparator)
    }

    /// The embedding size D.
    public var dimension: Int { hyperparameters.dimension }

    /// Reusable buffers for one thread of prediction.
    public struct Scratch: Sendable {
        var features = FeatureScratch()
        var rows: [Int32] = []
        var hidden: [Float] = []
        var coefficients: [Float] = []
        /// The class probabilities of the last sentence scored.
        public internal(set) var probabilities: [Float] = []
        public init() {}
    }

    /// Scores `text` into `scratch.probabilities` (one probability per class).
    public func score(_ text: String, scratch: inout Scratch) {
        extractor.extract(text, into: &scratch.features)
        scratch.rows.removeAll(keepingCapacity: true)
        for id in scratch.features.features { scratch.rows.append(table.row(of: id)) }
        let starts = FeatureKindStarts(wordNgrams: scratch.features.wordNgramStart, charNgrams: scratch.features.charNgramStart)
        forward(rows: scratch.rows, starts: starts, coefficients: &scratch.coefficients, hidden: &scratch.hidden, probabilities: &scratch.probabilities)
    }

    /// Predicts the intent of `text` with the `topK` best in-domain classes.
    public func predict(_ text: String, topK: Int = 1, scratch: inout Scratch) -> Prediction {
        score(text, scratch: &scratch)
        return decide(probabilities: scratch.probabilities, topK: topK)
    }

    /// Predicts one sentence with fresh buffers (convenient; allocates).
    public func predict(_ text: String, topK: Int = 1) -> Prediction {
        var scratch = Scratch()
        return predict(text, topK: topK, scratch: &scratch)
    }

    /// The forward pass over embedding rows (-1 = unseen feature).
    // h: [D] = pooled E[rows] (`poolingExponent`); z: [C] = W h + b; p: [C] = softmax(z) or sigmoid(z)
    func forward(rows: [Int32], starts: FeatureKindStarts, coefficients: inout [Float], hidden: inout [Float], probabilities: inout [Float]) {
        let dimension = self.dimension
        let classCount = labels.count
        let exponent = hyperparameters.poolingExponent
        if hidden.count != dimension { hidden = Array(repeating: 0, count: dimension) }
        if probabilities.count != classCount { probabilities = Array(repeating: 0, count: classCount) }
        if coefficients.count < rows.count { coefficients = Array(repeating: 0, count: rows.count) }
        hidden.withUnsafeMutableBufferPointer { h in
            embeddings.withUnsafeBufferPointer { e in
                featureWeights.withUnsafeBufferPointer { a in
                    rows.withUnsafeBufferPointer { r in
                        coefficients.withUnsafeMutableBufferPointer { c in
                            NGramClassifier.kindBalancedCoefficients(r, starts: starts, weights: a, exponent: exponent, into: c)
                            NGramClassifier.weightedSum(r, coefficients: UnsafeBufferPointer(c), embeddings: e, dimension: dimension, into: h)
                        }
                    }
                }
            }
            probabilities.withUnsafeMutableBufferPointer { p in
                output.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        NGramClassifier.logits(hidden: UnsafeBufferPointer(h), output: w, bias: b, into: p)
                    }
                }
                NGramClassifier.activate(p, loss: hyperparameters.loss)
            }
        }
    }

    /// z = W h + b.
    ///
    /// Eight classes at a time, each class's dot product summed in order over the dimension (the same
    /// result, to the bit, as one class at a time), so eight independent sums share the adder instead of
    /// each waiting on its own last addition. The last group repeats the last class in its spare lanes
    /// and drops their sums.
    @inline(__always)
    static func logits(hidden h: UnsafeBufferPointer<Float>, output w: UnsafeBufferPointer<Float>, bias b: UnsafeBufferPointer<Float>, into z: UnsafeMutableBufferPointer<Float>) {
        let dimension = h.count, classCount = z.count
        guard let hBase = h.baseAddress, let wBase = w.baseAddress, classCount > 0 else { return }
        let lanes = SIMD8<Float>.scalarCount
        var first = 0
        while first < classCount {
            func row(_ lane: Int) -> UnsafePointer<Float> { wBase + min(first + lane, classCount - 1) * dimension }
            let (r0, r1, r2, r3, r4, r5, r6, r7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
            var sum = SIMD8<Float>(repeating: 0)
            for d in 0..<dimension {
                sum += SIMD8(r0[d], r1[d], r2[d], r3[d], r4[d], r5[d], r6[d], r7[d]) * SIMD8(repeating: hBase[d])
            }
            for lane in 0..<min(lanes, classCount - first) { z[first + lane] = sum[lane] + b[first + lane] }
            first += lanes
        }
    }

    /// Softmax or element-wise sigmoid, in place, numerically stable.
    @inline(__always)
    static func activate(_ z: UnsafeMutableBufferPointer<Float>, loss: Hyperparameters.Loss) {
        switch loss {
        case .softmax:
            var maximum = -Float.infinity
            for value in z where value > maximum { maximum = value }
            var total: Float = 0
            for c in 0..<z.count {
                let value = expf(z[c] - maximum)
                z[c] = value
                total += value
            }
            let scale = 1 / total
            for c in 0..<z.count { z[c] *= scale }
        case .oneVsAll:
            for c in 0..<z.count { z[c] = sigmoid(z[c]) }
        }
    }
}

/// The logistic function, written to avoid overflow for large |x|.
@inline(__always)
func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
}
