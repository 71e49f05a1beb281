/// Explanations of the LSTM's answers: the attention each token received, and gradient-times-input
/// attributions of the chosen class's score.
///
/// Unlike the n-gram model's, these are not exact decompositions: the network is not linear, so
/// `sum_t (dz_c/dx_t) . x_t` is a first-order account of the score (it ignores the biases and the
/// saturation of the gates). Attention says where the pooling looked; the attributions say which words
/// pushed the score up or down.
extension LSTMAttentionClassifier {
    /// One token's attention weight and attribution.
    public struct TokenAttribution: Sendable, Equatable {
        public var token: String
        /// Gradient times input of the chosen class's score (logit), summed over the embedding.
        public var contribution: Float
        /// The attention weight the token got (the weights sum to 1).
        public var attention: Float
    }

    /// The explanation of one prediction.
    public struct Explanation: Sendable, Equatable {
        /// The class explained (the best in-domain class, even when the answer is `<unknown>`).
        public var intent: String
        /// Its score (logit) before the softmax.
        public var score: Float
        /// The output layer's bias for the class.
        public var bias: Float
        /// Tokens in sentence order; unknown words are explained under their own spelling.
        public var tokens: [TokenAttribution]
    }

    /// Explains the score of the best in-domain class for `text`.
    public func explain(_ text: String) -> Explanation {
        var tokens = Tokenizer.tokens(of: text)
        if tokens.isEmpty { tokens = [""] }
        let ids = tokens.map { wordIDs[$0] ?? Self.unknownWordID }
        let batch = LSTMBatch([ids])
        let work = LSTMWorkspace()
        let classes = labels.count, stateSize = network.stateSize, dimension = network.embeddingDimension
        var gradient = [Float](repeating: 0, count: network.parameterCount)
        var best = 0, bestProbability: Float = -1, score: Float = 0
        let unknownIndex = labels.unknownIndex
        parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                guard let p = p.baseAddress, let g = g.baseAddress else { return }
                network.forward(batch, parameters: p, work: work, input: .computed, dropout: false)
                for index in 0..<classes where index != unknownIndex && work.probabilities[index] > bestProbability {
                    best = index
                    bestProbability = work.probabilities[index]
                }
                // z_c = b_c + sum_j c_j W_o[j, c]
                score = p[network.outputBias + best]
                for j in 0..<stateSize { score += work.context[j] * p[network.outputWeights + j * classes + best] }
                var seed = [Float](repeating: 0, count: classes)
                seed[best] = 1
                network.backward(batch, targets: [best], weights: [1], scale: 1, parameters: p, work: work, dropout: false, into: g, dLogits: seed)
            }
        }
        let attributions = tokens.enumerated().map { t, token in
            let x = work.x + t * dimension, dx = work.dInput + t * dimension
            return TokenAttribution(token: token, contribution: DenseKernels.dot(x, dx, dimension), attention: work.attention[t])
        }
        return Explanation(intent: labels.displayNames[best], score: score, bias: parameters[network.outputBias + best], tokens: attributions)
    }
}
