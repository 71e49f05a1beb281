import Testing
@testable import IntentML

/// Finite-difference checks of the n-gram model's gradients.
///
/// One SGD step with learning rate 1 moves every parameter by exactly minus its gradient (all gradients
/// are taken at the old parameters), so the analytic gradient is `before - after`. It is compared with a
/// central difference of the loss computed in Float.
@Suite("Gradient checks")
struct GradientCheckTests {
    static let examples = [
        LabeledExample(text: "show flights to boston", label: "flight"),
        LabeledExample(text: "cheapest fare to boston", label: "airfare"),
        LabeledExample(text: "flights and fares to denver", label: "flight+airfare"),
        LabeledExample(text: "ground transport in denver", label: "ground_service"),
    ]

    @Test("analytic gradients match finite differences", arguments: Hyperparameters.Loss.allCases)
    func gradients(loss: Hyperparameters.Loss) throws {
        var hyperparameters = Hyperparameters()
        hyperparameters.dimension = 5
        hyperparameters.charNgramMin = 3
        hyperparameters.charNgramMax = 3
        hyperparameters.loss = loss
        hyperparameters.learningRate = 1
        hyperparameters.featureWeighting = 2
        let trainer = NGramTrainer(hyperparameters: hyperparameters, seed: 7)
        let labels = LabelSpace(examples: Self.examples, loss: loss)
        let vocabulary = Vocabulary.build(from: Self.examples.map(\.text), minCount: 1)
        let encoded = trainer.encode(Self.examples, extractor: FeatureExtractor(hyperparameters: hyperparameters, vocabulary: vocabulary), labels: labels)
        var random = SplitMix64(seed: 3)
        let dimension = hyperparameters.dimension
        let weights = TrainingWeights(
            embeddings: (0..<(encoded.table.count * dimension)).map { _ in random.nextUnitFloat() - 0.5 },
            output: (0..<(labels.count * dimension)).map { _ in random.nextUnitFloat() - 0.5 },
            bias: (0..<labels.count).map { _ in random.nextUnitFloat() - 0.5 })
        defer { weights.deallocate() }
        let example = 2
        let before = (e: Array(weights.embeddings), w: Array(weights.output), b: Array(weights.bias))

        // One step on that example alone, at full learning rate (step 0 of a long schedule).
        _ = trainer.runSlice([example], stepBase: 0, encoded: encoded, weights: weights, totalSteps: 1_000_000_000, stride: 1)
        let analytic = (
            e: zip(before.e, weights.embeddings).map { $0 - $1 },
            w: zip(before.w, weights.output).map { $0 - $1 },
            b: zip(before.b, weights.bias).map { $0 - $1 })
        // Restore the parameters for the finite differences.
        for i in before.e.indices { weights.embeddings[i] = before.e[i] }
        for i in before.w.indices { weights.output[i] = before.w[i] }
        for i in before.b.indices { weights.bias[i] = before.b[i] }

        func numeric(_ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int) -> Float {
            let epsilon: Float = 1e-2
            let saved = buffer[index]
            buffer[index] = saved + epsilon
            let plus = trainer.loss(ofExample: example, encoded: encoded, weights: weights)
            buffer[index] = saved - epsilon
            let minus = trainer.loss(ofExample: example, encoded: encoded, weights: weights)
            buffer[index] = saved
            return (plus - minus) / (2 * epsilon)
        }
        var checked = 0
        for (buffer, gradient) in [(weights.embeddings, analytic.e), (weights.output, analytic.w), (weights.bias, analytic.b)] {
            for index in gradient.indices where gradient[index] != 0 || index % 7 == 0 {
                let expected = numeric(buffer, index)
                #expect(abs(expected - gradient[index]) <= 2e-3 + 2e-2 * abs(expected), "index \(index): numeric \(expected) analytic \(gradient[index])")
                checked += 1
            }
        }
        #expect(checked > 20)
        #expect(analytic.e.contains { $0 != 0 } && analytic.w.contains { $0 != 0 })
    }
}
