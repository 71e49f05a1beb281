import Foundation
import Testing
@testable import IntentML
import TestSupport

@Suite("Ensemble of the n-gram model and the LSTM")
struct EnsembleTests {
    /// Small members trained on the built-in dataset.
    static func settings(weight: Float = 0.5) -> EnsembleHyperparameters {
        var settings = EnsembleHyperparameters()
        settings.ngram.dimension = 8
        settings.ngram.epochs = 5
        settings.lstmAttention = LSTMAttentionTests.small(embedding: 8, hidden: 6, attention: 5, epochs: 2)
        settings.ngramWeight = weight
        return settings
    }

    static func small(seed: UInt64, weight: Float = 0.5) throws -> EnsembleClassifier {
        let settings = settings(weight: weight)
        let examples = DefaultDataset.examples()
        let ngram = try NGramTrainer(hyperparameters: settings.members.ngram, seed: seed).train(examples)
        let lstm = try LSTMTrainer(hyperparameters: settings.members.lstmAttention, seed: seed).train(examples).classifier
        return try EnsembleClassifier(ngram: ngram, lstmAttention: lstm, hyperparameters: settings, unknownThreshold: 0)
    }

    @Test("the ensemble's probabilities are the weighted average of its members', and it answers their best class")
    func weightedAverage() throws {
        for weight: Float in [0, 0.3, 1] {
            let ensemble = try Self.small(seed: 3, weight: weight)
            let classifier = IntentClassifier.ensemble(ensemble)
            var scratch = IntentClassifier.Scratch()
            var ngramScratch = NGramClassifier.Scratch()
            for example in DefaultDataset.examples().prefix(25) {
                let prediction = classifier.predict(example.text, topK: 2, scratch: &scratch)
                ensemble.ngram.score(example.text, scratch: &ngramScratch)
                let lstm = IntentClassifier.lstmAttention(ensemble.lstmAttention)
                var lstmScratch = IntentClassifier.Scratch()
                _ = lstm.predict(example.text, scratch: &lstmScratch)
                let expected = zip(ngramScratch.probabilities, lstmScratch.probabilities).map { weight * $0 + (1 - weight) * $1 }
                #expect(scratch.probabilities.count == expected.count)
                for (found, wanted) in zip(scratch.probabilities, expected) { #expect(abs(found - wanted) < 1e-6) }
                // A weight of 1 or 0 is exactly one member.
                if weight == 1 { #expect(prediction == IntentClassifier.ngram(ensemble.ngram).predict(example.text, topK: 2)) }
                if weight == 0 { #expect(prediction == lstm.predict(example.text, topK: 2)) }
            }
        }
    }

    @Test("through IntentClassifier: the same answers and probabilities, alone or after other sentences")
    func classifierInterface() throws {
        let classifier = IntentClassifier.ensemble(try Self.small(seed: 4))
        #expect(classifier.kind == ModelManifest.ensembleKind)
        var shared = IntentClassifier.Scratch()
        for example in DefaultDataset.examples().prefix(20) {
            let inBatch = classifier.predict(example.text, topK: 3, scratch: &shared)
            let probabilities = shared.probabilities
            var alone = IntentClassifier.Scratch()
            #expect(classifier.predict(example.text, topK: 3, scratch: &alone) == inBatch)
            #expect(alone.probabilities == probabilities)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
        }
    }

    @Test("the pipeline trains both members on the same split, calibrates, and is reproducible across --threads")
    func pipeline() throws {
        let examples = DefaultDataset.examples()
        let first = try TrainingPipeline(model: .ensemble(Self.settings()), seed: 5, threads: 1).run(train: examples)
        let second = try TrainingPipeline(model: .ensemble(Self.settings()), seed: 5, threads: 2).run(train: examples)
        guard case .ensemble(let a) = first.classifier, case .ensemble(let b) = second.classifier else {
            Issue.record("the pipeline did not train an ensemble")
            return
        }
        #expect(first.validationCount > 0 && first.validationAccuracy != nil)
        // The n-gram member is refit on all the data; the LSTM keeps the epoch it stopped at.
        #expect(first.refitOnValidation && first.trainingCount == examples.count)
        let fitPart = DatasetSplit.stratified(examples, validationFraction: Self.settings().validationFraction, seed: 5).train
        let unrefit = try NGramTrainer(hyperparameters: a.ngram.hyperparameters, seed: 5).train(fitPart)
        #expect(WeightsCodec.encode(unrefit) != WeightsCodec.encode(a.ngram))
        #expect(!first.epochs.isEmpty)
        #expect(ModelBundle.files(of: first.classifier) == ModelBundle.files(of: second.classifier))
        #expect(a.unknownThreshold == b.unknownThreshold)
    }

    @Test("config files: members' fields nest, mistakes are refused with the field's path")
    func configuration() throws {
        let directory = TestDirectories.make().path
        func load(_ json: String) throws -> ModelHyperparameters {
            let path = directory + "/config-\(UUID().uuidString).json"
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return try ModelHyperparameters.load(path: path, kind: ModelManifest.ensembleKind)
        }
        guard case .ensemble(let settings) = try load(#"{"ngram_weight": 0.25, "ngram": {"dimension": 32}, "lstm_attention": {"hidden_size": 16}}"#) else {
            Issue.record("not an ensemble config")
            return
        }
        #expect(settings.ngramWeight == 0.25 && settings.ngram.dimension == 32 && settings.lstmAttention.hiddenSize == 16)
        #expect(settings.ngram.epochs == Hyperparameters().epochs)
        #expect { try load(#"{"ngram": {"dimensions": 32}}"#) } throws: { "\($0)".contains("unknown hyperparameter 'dimensions'") }
        #expect { try load(#"{"ngram_weight": 1.5}"#) } throws: { "\($0)".contains("ngram_weight must be in [0, 1]") }
        #expect { try load(#"{"ngram": {"loss": "one-vs-all"}}"#) } throws: { "\($0)".contains("ngram.loss must be 'softmax'") }
        #expect { try load(#"{"lstm_attention": {"hidden_size": 0}}"#) } throws: { "\($0)".contains("lstm_attention.hidden_size must be in 1...1024") }
        #expect { try load(#"{"validation_fraction": 0}"#) } throws: { "\($0)".contains("validation_fraction must be in (0, 0.9)") }
        // The shared settings are the ensemble's: a member's own copy must agree, and both members get them.
        #expect { try load(#"{"ngram": {"validation_fraction": 0.3}}"#) } throws: {
            "\($0)".contains("'ngram.validation_fraction' is set by the ensemble")
        }
        #expect { try load(#"{"lstm_attention": {"unknown_threshold": 0.5}}"#) } throws: {
            "\($0)".contains("'lstm_attention.unknown_threshold' is set by the ensemble")
        }
        guard case .ensemble(let shared) = try load(#"{"label_separator": "|", "validation_fraction": 0.2, "ngram": {"validation_fraction": 0.2}}"#) else {
            Issue.record("not an ensemble config")
            return
        }
        #expect(shared.ngram.labelSeparator == "|" && shared.lstmAttention.labelSeparator == "|")
        #expect(shared.ngram.validationFraction == 0.2 && shared.lstmAttention.validationFraction == 0.2)
    }

    @Test("tuning: member settings by dotted name; the shared ones only at the top level")
    func tuningNames() throws {
        let space = #"{"ngram.dimension": {"choice": ["8", "16"]}, "lstm_attention.hidden_size": {"int_uniform": [4, 8]}, "ngram_weight": {"uniform": [0.3, 0.7]}}"#
        let parsed = try SearchSpace(data: Data(space.utf8), kind: ModelManifest.ensembleKind, path: "space.json")
        #expect(parsed.parameters.map(\.name) == ["lstm_attention.hidden_size", "ngram.dimension", "ngram_weight"])
        #expect { try SearchSpace(data: Data(#"{"ngram.validation_fraction": {"uniform": [0.1, 0.2]}}"#.utf8), kind: ModelManifest.ensembleKind, path: "space.json") } throws: {
            "\($0)".contains("'ngram.validation_fraction' is not a hyperparameter of the ensemble kind")
        }
        #expect { try SearchSpace(data: Data(#"{"dimension": {"choice": ["8"]}}"#.utf8), kind: ModelManifest.ensembleKind, path: "space.json") } throws: {
            "\($0)".contains("ngram.dimension")
        }
        guard case .ensemble(let settings) = try ModelHyperparameters.ensemble(Self.settings())
            .overriding(["ngram.dimension": "16", "lstm_attention.hidden_size": "5", "ngram_weight": "0.25"]) else {
            Issue.record("not an ensemble")
            return
        }
        #expect(settings.ngram.dimension == 16 && settings.lstmAttention.hiddenSize == 5 && settings.ngramWeight == 0.25)
        #expect(settings.ngram.epochs == Self.settings().ngram.epochs)
        // runs compare and MLflow name settings the same way, without the members' copies of shared ones.
        let flat = ModelHyperparameters.flattened(["ngram_weight": 0.4, "ngram": ["dimension": 16, "validation_fraction": 0.1] as [String: Any]])
        #expect(flat["ngram.dimension"] as? Int == 16 && flat["ngram_weight"] as? Double == 0.4 && flat["ngram"] == nil)
        #expect(flat["ngram.validation_fraction"] == nil)
    }

    @Test("members with different classes are refused")
    func differentClasses() throws {
        let settings = Self.settings()
        let examples = DefaultDataset.examples()
        let ngram = try NGramTrainer(hyperparameters: settings.members.ngram, seed: 1).train(examples)
        let firstLabel = examples[0].labels
        let fewer = examples.filter { $0.labels != firstLabel }
        let lstm = try LSTMTrainer(hyperparameters: settings.members.lstmAttention, seed: 1).train(fewer).classifier
        #expect { try EnsembleClassifier(ngram: ngram, lstmAttention: lstm, hyperparameters: settings, unknownThreshold: 0) } throws: { error in
            "\(error)".contains("different classes")
        }
    }
}
