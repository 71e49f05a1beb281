/// Exact explanations: how much each feature and each token adds to the score of the chosen class.
///
/// The class score is `z_c = b_c + sum_f (a_f / sum a) (W_c . E_f)`, so the contributions of the
/// features plus the bias add up to the score exactly. A word n-gram's contribution is shared equally by
/// the tokens it covers; a character n-gram's goes to its word.
extension NGramClassifier {
    /// One feature's share of the chosen class's score.
    public struct FeatureContribution: Sendable, Equatable, Codable {
        public var feature: String
        public var kind: FeatureExtractor.Kind
        public var contribution: Float
    }

    /// One token's share of the chosen class's score.
    public struct TokenContribution: Sendable, Equatable, Codable {
        public var token: String
        public var contribution: Float
    }

    /// The explanation of one prediction.
    public struct Explanation: Sendable, Equatable {
        /// The class explained (the best in-domain class, even when the answer is `<unknown>`).
        public var intent: String
        /// Its score before the softmax or sigmoid.
        public var score: Float
        public var bias: Float
        /// Features by decreasing absolute contribution.
        public var features: [FeatureContribution]
        /// Tokens in sentence order.
        public var tokens: [TokenContribution]
    }

    /// Explains the score of the best in-domain class for `text`.
    public func explain(_ text: String) -> Explanation {
        var scratch = Scratch()
        score(text, scratch: &scratch)
        let unknownIndex = labels.unknownIndex
        var best = 0
        var bestProbability: Float = -1
        for (index, probability) in scratch.probabilities.enumerated() where index != unknownIndex && probability > bestProbability {
            best = index
            bestProbability = probability
        }
        let origins = extractor.describe(text)
        let tokenTexts = Tokenizer.tokens(of: text)
        let rows = origins.map { table.row(of: $0.id) }
        let coefficients = poolingCoefficients(rows: rows, kinds: origins.map(\.kind))
        var tokenShares = [Float](repeating: 0, count: tokenTexts.count)
        var features: [FeatureContribution] = []
        var score = bias[best]
        for (index, (origin, row)) in zip(origins, rows).enumerated() {
            var contribution: Float = 0
            if row >= 0 {
                var dot: Float = 0
                for d in 0..<dimension { dot += output[best * dimension + d] * embeddings[Int(row) * dimension + d] }
                contribution = coefficients[index] * dot
            }
            score += contribution
            features.append(FeatureContribution(feature: origin.text, kind: origin.kind, contribution: contribution))
            let covered = origin.tokens.clamped(to: 0..<tokenTexts.count)
            if !covered.isEmpty {
                for token in covered { tokenShares[token] += contribution / Float(covered.count) }
            }
        }
        features.sort { abs($0.contribution) > abs($1.contribution) }
        return Explanation(
            intent: labels.displayNames[best], score: score, bias: bias[best], features: features,
            tokens: zip(tokenTexts, tokenShares).map { TokenContribution(token: $0, contribution: $1) })
    }

    /// The weight of each feature in the sentence vector, `h = sum_i c_i E[rows[i]]`, under the model's pooling.
    func poolingCoefficients(rows: [Int32], kinds: [FeatureExtractor.Kind]) -> [Float] {
        let starts = FeatureKindStarts(
            wordNgrams: kinds.firstIndex { $0 != .word } ?? kinds.count,
            charNgrams: kinds.firstIndex { $0 == .charNgram } ?? kinds.count)
        var coefficients = [Float](repeating: 0, count: rows.count)
        rows.withUnsafeBufferPointer { r in
            featureWeights.withUnsafeBufferPointer { a in
                coefficients.withUnsafeMutableBufferPointer { c in
                    NGramClassifier.kindBalancedCoefficients(r, starts: starts, weights: a, exponent: hyperparameters.poolingExponent, into: c)
                }
            }
        }
        return coefficients
    }
}
