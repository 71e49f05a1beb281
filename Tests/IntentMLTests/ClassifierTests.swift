import Foundation
import Testing
@testable import IntentML

@Suite("N-gram classifier")
struct ClassifierTests {
    static func smallHyperparameters() -> Hyperparameters {
        var hyperparameters = Hyperparameters()
        hyperparameters.dimension = 16
        hyperparameters.epochs = 20
        return hyperparameters
    }

    @Test("same seed and one thread give the same weights bit for bit; another seed does not")
    func determinism() throws {
        let data = DefaultDataset.examples()
        let first = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 11).train(data)
        let second = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 11).train(data)
        let other = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 12).train(data)
        #expect(WeightsCodec.encode(first) == WeightsCodec.encode(second))
        #expect(WeightsCodec.encode(first) != WeightsCodec.encode(other))
    }

    @Test("learns the built-in multilingual dataset and generalises to held-out sentences")
    func learnsDefaultDataset() throws {
        let (train, validation) = DatasetSplit.stratified(DefaultDataset.examples(), validationFraction: 0.2, seed: 5)
        let model = try NGramTrainer(hyperparameters: Hyperparameters(), seed: 1).train(train)
        let correct = validation.filter { model.predict($0.text).labels == $0.labels }.count
        // Chance is about 1/10; a working model gets most held-out sentences in every language right.
        #expect(Double(correct) / Double(validation.count) >= 0.7, "\(correct) of \(validation.count)")
    }

    @Test("a sentence alone and inside a batch get the same answer and confidence")
    func batchConsistency() throws {
        let data = DefaultDataset.examples()
        let model = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 3).train(data)
        var shared = NGramClassifier.Scratch()
        // The shared scratch has held longer and shorter sentences before each one: no state may leak.
        let inBatch = data.map { model.predict($0.text, topK: 3, scratch: &shared) }
        for (example, batched) in zip(data, inBatch) {
            let alone = model.predict(example.text, topK: 3)
            #expect(alone == batched)
        }
    }

    @Test("probabilities sum to one; the prediction is the most probable in-domain class")
    func probabilities() throws {
        let model = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 3).train(DefaultDataset.examples())
        var scratch = NGramClassifier.Scratch()
        for text in ["book a flight to paris", "xyzzy qwerty", "", "🙂🙂🙂"] {
            let prediction = model.predict(text, topK: 100, scratch: &scratch)
            let sum = scratch.probabilities.reduce(0, +)
            #expect(abs(sum - 1) < 1e-4)
            #expect(prediction.confidence.isFinite)
            #expect(prediction.topK.first?.score == prediction.confidence)
            #expect(prediction.topK.count == model.labels.classes.filter { $0 != LabelSet.unknownLabel }.count)
        }
    }

    @Test("below the threshold, or when <unknown> wins, the answer is <unknown>")
    func unknownThreshold() throws {
        var data = DefaultDataset.examples()
        data += DefaultDataset.oodSentences.map { LabeledExample(text: $0, label: LabelSet.unknownLabel) }
        var model = try NGramTrainer(hyperparameters: Self.smallHyperparameters(), seed: 3).train(data)
        #expect(model.labels.unknownIndex != nil)
        model.unknownThreshold = 1.01
        let rejected = model.predict(data[0].text)
        #expect(rejected.isUnknown && rejected.intent == LabelSet.unknownLabel && rejected.labels.isUnknown)
        model.unknownThreshold = 0
        #expect(!model.predict(data[0].text).isUnknown)
    }

    @Test("calibration keeps the requested share without OOD data and separates with it")
    func calibration() {
        let inDomain = (1...100).map { ThresholdCalibration.Observation(confidence: Float($0) / 100, correct: true) }
        // Keep 95 of 100: the threshold is the 6th smallest confidence (0.06 keeps 0.06...1.00).
        #expect(ThresholdCalibration.threshold(inDomain: inDomain, outOfDomain: [], keepRate: 0.95) == 0.06)
        #expect(ThresholdCalibration.threshold(inDomain: inDomain, outOfDomain: [], keepRate: 1) == 0)
        // OOD below 0.3 and in-domain from 0.3 up: the best threshold rejects all OOD and keeps every
        // in-domain sentence; among equally good thresholds the lowest wins (0.3 is the first candidate
        // above 0.25 that rejects all three).
        let separated = inDomain.filter { $0.confidence >= 0.3 }
        #expect(ThresholdCalibration.threshold(inDomain: separated, outOfDomain: [0.1, 0.2, 0.25], keepRate: 0.9) == 0.3)
        // 30 OOD sentences at 0.2 would buy the threshold 0.21 (80 kept + 30 rejected beats 100 kept),
        // rejecting 20% of in-domain sentences; keepRate 0.95 caps it at 0.06.
        let overlapping = [Float](repeating: 0.2, count: 30)
        #expect(ThresholdCalibration.threshold(inDomain: inDomain, outOfDomain: overlapping, keepRate: 0.5) == 0.21)
        #expect(ThresholdCalibration.threshold(inDomain: inDomain, outOfDomain: overlapping, keepRate: 0.95) == 0.06)
    }

    @Test("invalid hyperparameters and empty data are refused with a message")
    func trainingErrors() {
        var bad = Hyperparameters()
        bad.dimension = 0
        #expect(throws: TrainingError.self) { try NGramTrainer(hyperparameters: bad).train(DefaultDataset.examples()) }
        #expect(throws: TrainingError.noExamples) { try NGramTrainer(hyperparameters: Hyperparameters()).train([]) }
        let onlyUnknown = [LabeledExample(text: "hello", label: "<unknown>")]
        #expect(throws: TrainingError.noInDomainClasses) { try NGramTrainer(hyperparameters: Hyperparameters()).train(onlyUnknown) }
    }

    @Test("hyperparameter files: partial fields keep defaults, unknown fields are refused")
    func hyperparameterDecoding() throws {
        let partial = try JSONDecoder().decode(Hyperparameters.self, from: Data(#"{"epochs": 7}"#.utf8))
        #expect(partial.epochs == 7 && partial.dimension == Hyperparameters().dimension)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Hyperparameters.self, from: Data(#"{"epoch": 7}"#.utf8)) }
        #expect(try JSONDecoder().decode(Hyperparameters.self, from: Data(#"{"loss": "one-vs-all"}"#.utf8)).loss == .oneVsAll)
        #expect { try JSONDecoder().decode(Hyperparameters.self, from: Data(#"{"loss": "ova"}"#.utf8)) } throws: {
            ($0 as? DecodingError)?.readableDescription == "'ova' is not a loss: use 'softmax' or 'one-vs-all' at 'loss'"
        }
        let encoded = try JSONEncoder().encode(Hyperparameters())
        #expect(try JSONDecoder().decode(Hyperparameters.self, from: encoded) == Hyperparameters())
    }
}

@Suite("Explanations")
struct ExplanationTests {
    @Test("feature contributions plus the bias add up to the class score")
    func exactness() throws {
        let model = try NGramTrainer(hyperparameters: ClassifierTests.smallHyperparameters(), seed: 2).train(DefaultDataset.examples())
        for text in ["book me a flight to berlin tomorrow", "какая погода в москве", "zz"] {
            let explanation = model.explain(text)
            let sum = explanation.features.reduce(explanation.bias) { $0 + $1.contribution }
            #expect(abs(sum - explanation.score) < 1e-4)
            let tokenSum = explanation.tokens.reduce(explanation.bias) { $0 + $1.contribution }
            // Boundary-only n-gram shares (<s>, </s>) go to the tokens they cover, so token shares add up too.
            #expect(abs(tokenSum - explanation.score) < 1e-3)
            #expect(explanation.intent == model.predict(text, topK: 1).topK.first?.label)
        }
    }

    /// The explanation's score is recomputed here from the model's own forward pass (z = W h + b), so a
    /// pooling the explanation did not follow would show.
    @Test("an explanation's score is the class's logit, whatever the pooling exponent", arguments: [0, 0.75, 1] as [Float])
    func explanationMatchesForward(exponent: Float) throws {
        var settings = ClassifierTests.smallHyperparameters()
        settings.poolingExponent = exponent
        let model = try NGramTrainer(hyperparameters: settings, seed: 2).train(DefaultDataset.examples())
        for text in ["book me a flight to berlin tomorrow", "какая погода в москве", "réserve un vol zzqx"] {
            let explanation = model.explain(text)
            var scratch = NGramClassifier.Scratch()
            model.score(text, scratch: &scratch)
            let best = try #require(model.labels.displayNames.firstIndex(of: explanation.intent))
            var logit = model.bias[best]
            for d in 0..<model.dimension { logit += model.output[best * model.dimension + d] * scratch.hidden[d] }
            #expect(abs(explanation.score - logit) < 1e-4, "\(text): explained \(explanation.score), forward \(logit)")
        }
    }

    /// Shares of the sentence vector by kind of feature, for a training sentence (every feature has a row).
    static func kindShares(exponent: Float) throws -> (shares: [Float], totals: [Float]) {
        var settings = ClassifierTests.smallHyperparameters()
        settings.poolingExponent = exponent
        let examples = DefaultDataset.examples()
        let model = try NGramTrainer(hyperparameters: settings, seed: 2).train(examples)
        let sentence = try #require(examples.map(\.text).max { $0.count < $1.count })
        let origins = model.extractor.describe(sentence)
        let rows = origins.map { model.table.row(of: $0.id) }
        #expect(!rows.contains(-1))
        let coefficients = model.poolingCoefficients(rows: rows, kinds: origins.map(\.kind))
        let kinds: [FeatureExtractor.Kind] = [.word, .wordNgram, .charNgram]
        let shares = kinds.map { kind in zip(origins, coefficients).filter { $0.0.kind == kind }.map(\.1).reduce(0, +) }
        let totals = kinds.map { kind in zip(origins, rows).filter { $0.0.kind == kind }.map { model.featureWeights[Int($0.1)] }.reduce(0, +) }
        return (shares, totals)
    }

    @Test("pooling exponent 0 gives each kind of feature a third of the sentence vector; 1 shares it by total weight; between, in between")
    func kindShares() throws {
        let equal = try Self.kindShares(exponent: 0)
        for share in equal.shares { #expect(abs(share - 1.0 / 3) < 1e-5, "shares \(equal.shares)") }
        let mean = try Self.kindShares(exponent: 1)
        let total = mean.totals.reduce(0, +)
        for (share, kindTotal) in zip(mean.shares, mean.totals) { #expect(abs(share - kindTotal / total) < 1e-5, "shares \(mean.shares)") }
        let between = try Self.kindShares(exponent: 0.75)
        // Character n-grams weigh most in total: their share lies between a third and their share by weight.
        #expect(between.shares[2] > 1.0 / 3 && between.shares[2] < mean.shares[2], "shares \(between.shares) against \(mean.shares)")
        #expect(abs(between.shares.reduce(0, +) - 1) < 1e-5)
    }
}
