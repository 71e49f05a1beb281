import Foundation
import Testing
@testable import IntentML

/// The LSTM-attention model: finite-difference checks of every layer's gradient, padding invariance,
/// and reproducibility.
@Suite("LSTM attention")
struct LSTMAttentionTests {
    /// A tiny network, a batch whose sentences have different lengths (so padding is exercised in both
    /// directions), random parameters and fixed dropout masks.
    struct Fixture {
        let network = LSTMAttentionNetwork(vocabularySize: 7, embeddingDimension: 4, hiddenSize: 3, attentionSize: 3, classCount: 3)
        let batch = LSTMBatch([[1, 4, 2, 5], [3, 5], [0, 2, 1]])  // word 6 unused
        let targets = [2, 0, 1]
        let weights: [Float] = [1, 2, 0.5]
        var parameters: [Float]
        let work = LSTMWorkspace()

        init(dropout: Float) {
            var random = SplitMix64(seed: 11)
            parameters = (0..<network.parameterCount).map { _ in (random.nextUnitFloat() - 0.5) * 1.2 }
            work.prepare(network: network, steps: batch.steps, count: batch.count)
            work.drawDropoutMasks(network: network, steps: batch.steps, count: batch.count, rate: dropout, generator: &random)
        }

        /// The loss at `parameters`, and its analytic gradient.
        func lossAndGradient(_ parameters: [Float], dropout: Bool) -> (Float, [Float]) {
            var gradient = [Float](repeating: 0, count: network.parameterCount)
            let loss = parameters.withUnsafeBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { g in
                    network.forward(batch, parameters: p.baseAddress!, work: work, input: .computed, dropout: dropout)
                    return network.backward(batch, targets: targets, weights: weights, scale: 1, parameters: p.baseAddress!, work: work,
                                            dropout: dropout, into: g.baseAddress!)
                }
            }
            return (loss, gradient)
        }
    }

    /// Settings small enough to train on the built-in dataset in a test.
    static func small(embedding: Int, hidden: Int, attention: Int, epochs: Int) -> LSTMHyperparameters {
        var settings = LSTMHyperparameters()
        settings.embeddingDimension = embedding
        settings.hiddenSize = hidden
        settings.attentionSize = attention
        settings.epochs = epochs
        return settings
    }

    /// Every parameter group of the network, by name and range.
    static func groups(_ n: LSTMAttentionNetwork) -> [(String, Range<Int>)] {
        [
            ("embedding", n.embedding..<(n.embedding + n.vocabularySize * n.embeddingDimension)),
            ("forward input W_x", n.inputWeights[0]..<(n.inputWeights[0] + n.embeddingDimension * n.gateSize)),
            ("forward recurrent W_h", n.recurrentWeights[0]..<(n.recurrentWeights[0] + n.hiddenSize * n.gateSize)),
            ("forward gate bias", n.gateBiases[0]..<(n.gateBiases[0] + n.gateSize)),
            ("backward input W_x", n.inputWeights[1]..<(n.inputWeights[1] + n.embeddingDimension * n.gateSize)),
            ("backward recurrent W_h", n.recurrentWeights[1]..<(n.recurrentWeights[1] + n.hiddenSize * n.gateSize)),
            ("backward gate bias", n.gateBiases[1]..<(n.gateBiases[1] + n.gateSize)),
            ("attention W_a", n.attentionWeights..<(n.attentionWeights + n.stateSize * n.attentionSize)),
            ("attention b_a", n.attentionBias..<(n.attentionBias + n.attentionSize)),
            ("attention v", n.attentionVector..<(n.attentionVector + n.attentionSize)),
            ("output W_o", n.outputWeights..<(n.outputWeights + n.stateSize * n.classCount)),
            ("output b_o", n.outputBias..<(n.outputBias + n.classCount)),
        ]
    }

    @Test("every layer's analytic gradient matches central differences, with dropout and padding", arguments: [false, true])
    func gradients(dropout: Bool) {
        let fixture = Fixture(dropout: 0.3)
        let (_, analytic) = fixture.lossAndGradient(fixture.parameters, dropout: dropout)
        let groups = Self.groups(fixture.network)
        #expect(groups.map(\.1.count).reduce(0, +) == fixture.network.parameterCount, "the groups cover every parameter")
        let step: Float = 1e-2
        for (name, range) in groups {
            var worst: Float = 0
            var checked = 0
            for index in range {
                var plus = fixture.parameters, minus = fixture.parameters
                plus[index] += step
                minus[index] -= step
                let numeric = (fixture.lossAndGradient(plus, dropout: dropout).0 - fixture.lossAndGradient(minus, dropout: dropout).0) / (2 * step)
                let error = abs(numeric - analytic[index]) / max(0.05, abs(numeric) + abs(analytic[index]))
                worst = max(worst, error)
                checked += 1
            }
            #expect(worst < 0.02, "\(name): worst relative error \(worst) over \(checked) parameters")
        }
        // A word outside the batch gets no gradient (padding positions hold id 0, which must not receive any
        // beyond sentence 3's real use of it; the central differences above already cover word 0's rows).
        let n = fixture.network, unused = n.embedding + 6 * n.embeddingDimension
        #expect((unused..<(unused + n.embeddingDimension)).allSatisfy { analytic[$0] == 0 })
    }

    @Test("a sentence alone and inside padded batches gets the same answer and confidence, bit for bit")
    func paddingInvariance() throws {
        let hyperparameters = Self.small(embedding: 16, hidden: 12, attention: 8, epochs: 3)
        let (model, _) = try LSTMTrainer(hyperparameters: hyperparameters, seed: 3).train(DefaultDataset.examples())
        let sentences = DefaultDataset.examples().prefix(40).map(\.text) + ["a", "book me a flight from paris to a city i never named in training at all, please"]
        let alone = sentences.map { model.predict($0, topK: 3) }
        let batched = model.predictBatch(sentences, topK: 3)
        let reversed = Array(model.predictBatch(sentences.reversed(), topK: 3).reversed())
        for (index, sentence) in sentences.enumerated() {
            #expect(alone[index] == batched[index], "\(sentence)")
            #expect(alone[index] == reversed[index], "\(sentence)")
        }
    }

    @Test("the same seed gives the same weights bit for bit, with one thread or two")
    func deterministic() throws {
        let hyperparameters = Self.small(embedding: 8, hidden: 6, attention: 4, epochs: 2)
        let data = DefaultDataset.examples()
        let (train, validation) = DatasetSplit.stratified(data, validationFraction: 0.2, seed: 1)
        let first = try LSTMTrainer(hyperparameters: hyperparameters, seed: 9, threads: 1).train(train, validation: validation)
        let second = try LSTMTrainer(hyperparameters: hyperparameters, seed: 9, threads: 1).train(train, validation: validation)
        let threaded = try LSTMTrainer(hyperparameters: hyperparameters, seed: 9, threads: 2).train(train, validation: validation)
        let otherSeed = try LSTMTrainer(hyperparameters: hyperparameters, seed: 10, threads: 1).train(train, validation: validation)
        #expect(first.classifier.parameters == second.classifier.parameters)
        #expect(first.classifier.parameters == threaded.classifier.parameters)
        #expect(first.classifier.parameters != otherSeed.classifier.parameters)
        #expect(first.epochs == threaded.epochs)
    }

    @Test("explanations: attention sums to 1 and each attribution is the derivative of the logit along the word's embedding")
    func explanations() throws {
        let hyperparameters = Self.small(embedding: 10, hidden: 8, attention: 6, epochs: 3)
        let (model, _) = try LSTMTrainer(hyperparameters: hyperparameters, seed: 4).train(DefaultDataset.examples())
        let text = "book a table for two tonight"
        let explanation = model.explain(text)
        #expect(explanation.tokens.map(\.token) == Tokenizer.tokens(of: text))
        #expect(abs(explanation.tokens.map(\.attention).reduce(0, +) - 1) < 1e-5)
        #expect(explanation.intent == model.predict(text).topK.first?.label)
        let network = model.network, dimension = network.embeddingDimension
        let classIndex = try #require(model.labels.displayNames.firstIndex(of: explanation.intent))
        func logit(_ parameters: [Float]) -> Float {
            let work = LSTMWorkspace()
            return parameters.withUnsafeBufferPointer { p in
                network.forward(LSTMBatch([model.wordIDs(of: text)]), parameters: p.baseAddress!, work: work, input: .computed, dropout: false)
                var z = p[network.outputBias + classIndex]
                for j in 0..<network.stateSize { z += work.context[j] * p[network.outputWeights + j * network.classCount + classIndex] }
                return z
            }
        }
        #expect(abs(logit(model.parameters) - explanation.score) < 1e-4)
        let step: Float = 3e-3
        let ids = model.wordIDs(of: text)
        // Words out of the vocabulary share the unknown word's embedding: scaling it moves all of them,
        // so each distinct id is compared with the sum of its tokens' attributions.
        for id in Set(ids) {
            // Scaling the word's embedding by (1 + e) moves x_t along itself: d z / d e = (dz/dx_t) . x_t.
            var plus = model.parameters, minus = model.parameters
            for d in 0..<dimension {
                plus[network.embedding + Int(id) * dimension + d] *= 1 + step
                minus[network.embedding + Int(id) * dimension + d] *= 1 - step
            }
            let numeric = (logit(plus) - logit(minus)) / (2 * step)
            let analytic = ids.indices.filter { ids[$0] == id }.map { explanation.tokens[$0].contribution }.reduce(0, +)
            #expect(abs(numeric - analytic) <= 1e-3 + 0.02 * abs(numeric), "word id \(id): \(numeric) vs \(analytic)")
        }
    }

    @Test("the one-exp tanh agrees with tanhf")
    func squashMatchesTanh() {
        var worst: Float = 0
        for step in -4000...4000 {
            let x = Float(step) / 200
            worst = max(worst, abs(squash(x) - tanhf(x)))
        }
        #expect(worst < 1e-6)
        #expect(squash(80) == 1 && squash(-80) == -1)
    }

    @Test("bad hyperparameters are refused with the field named")
    func refusesBadHyperparameters() throws {
        var hyperparameters = LSTMHyperparameters()
        hyperparameters.hiddenSize = 0
        #expect(throws: TrainingError.self) { try LSTMTrainer(hyperparameters: hyperparameters).train(DefaultDataset.examples()) }
        #expect(hyperparameters.validationProblems().contains { $0.hasPrefix("hidden_size") })
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LSTMHyperparameters.self, from: Data(#"{"hiden_size": 3}"#.utf8)) }
    }
}
