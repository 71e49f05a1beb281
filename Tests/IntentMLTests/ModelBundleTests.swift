import Foundation
import Testing
@testable import IntentML
import TestSupport

@Suite("Model bundles")
struct ModelBundleTests {
    static func makeBundle(kind: String = ModelManifest.ngramKind) throws -> ModelBundle {
        let model: IntentClassifier
        if kind == ModelManifest.lstmAttentionKind {
            let hyperparameters = LSTMAttentionTests.small(embedding: 8, hidden: 6, attention: 5, epochs: 2)
            model = .lstmAttention(try LSTMTrainer(hyperparameters: hyperparameters, seed: 9).train(DefaultDataset.examples()).classifier)
        } else if kind == ModelManifest.ensembleKind {
            model = .ensemble(try EnsembleTests.small(seed: 9))
        } else {
            var hyperparameters = Hyperparameters()
            hyperparameters.dimension = 8
            hyperparameters.epochs = 5
            model = .ngram(try NGramTrainer(hyperparameters: hyperparameters, seed: 9).train(DefaultDataset.examples()))
        }
        return ModelBundle(
            classifier: model, name: "test", toolVersion: "test", seed: 9, threads: 1,
            trainingData: .init(sha256: "00", sources: ["<built-in>"], examples: 1, validationExamples: 0, outOfDomainExamples: 0),
            metrics: ["validation_accuracy": 0.5])
    }

    @Test("write then load gives the same weights bit for bit and the same answers", arguments: ModelHyperparameters.kinds)
    func roundTrip(kind: String) throws {
        let bundle = try Self.makeBundle(kind: kind)
        let path = TestDirectories.make().path + "/model"
        try bundle.write(to: path)
        let loaded = try ModelBundle.load(from: path)
        #expect(loaded.manifest == bundle.manifest)
        #expect(loaded.manifest.modelKind == kind)
        #expect(ModelBundle.files(of: loaded.classifier) == ModelBundle.files(of: bundle.classifier))
        for example in DefaultDataset.examples().prefix(30) {
            #expect(loaded.classifier.predict(example.text, topK: 3) == bundle.classifier.predict(example.text, topK: 3))
        }
        // Writing again over an existing bundle replaces it and leaves no temporary files behind.
        try bundle.write(to: path)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(siblings == ["model"])
    }

    @Test("a missing directory is reported with how to make one")
    func missing() {
        #expect { try ModelBundle.load(from: "/nonexistent/model") } throws: { error in
            "\(error)".contains("intent train")
        }
    }

    @Test("a truncated weights file is refused", arguments: ModelHyperparameters.kinds)
    func truncated(kind: String) throws {
        let path = TestDirectories.make().path + "/model"
        try Self.makeBundle(kind: kind).write(to: path)
        let weights = path + "/weights.bin"
        let data = try Data(contentsOf: URL(fileURLWithPath: weights))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: weights))
        #expect { try ModelBundle.load(from: path) } throws: { error in
            guard case .truncated? = error as? ModelBundleError else { return false }
            return "\(error)".contains("truncated")
        }
    }

    @Test("an ensemble's LSTM member is checked like the main weights: missing, truncated or altered is refused")
    func ensembleMemberFiles() throws {
        let path = TestDirectories.make().path + "/model"
        try Self.makeBundle(kind: ModelManifest.ensembleKind).write(to: path)
        let member = URL(fileURLWithPath: path + "/" + ModelBundle.lstmWeightsFile)
        let original = try Data(contentsOf: member)
        var altered = original
        altered[altered.count - 3] ^= 0x40
        try altered.write(to: member)
        #expect(throws: ModelBundleError.checksumMismatch(path: member.path)) { try ModelBundle.load(from: path) }
        try original.prefix(original.count / 2).write(to: member)
        #expect { try ModelBundle.load(from: path) } throws: { error in
            guard case .truncated? = error as? ModelBundleError else { return false }
            return true
        }
        try FileManager.default.removeItem(at: member)
        #expect(throws: ModelBundleError.missingFile(path: member.path)) { try ModelBundle.load(from: path) }
        try original.write(to: member)
        #expect(try ModelBundle.load(from: path).manifest.modelKind == ModelManifest.ensembleKind)
        let vocabulary = URL(fileURLWithPath: path + "/" + ModelBundle.lstmVocabularyFile)
        try FileManager.default.removeItem(at: vocabulary)
        #expect(throws: ModelBundleError.missingFile(path: vocabulary.path)) { try ModelBundle.load(from: path) }
    }

    @Test("a flipped byte fails the checksum")
    func corrupt() throws {
        let path = TestDirectories.make().path + "/model"
        try Self.makeBundle().write(to: path)
        let weights = URL(fileURLWithPath: path + "/weights.bin")
        var data = try Data(contentsOf: weights)
        data[data.count - 3] ^= 0x40
        try data.write(to: weights)
        #expect(throws: ModelBundleError.checksumMismatch(path: weights.path)) { try ModelBundle.load(from: path) }
    }

    @Test("a bundle from a newer format version is refused with 'upgrade'")
    func futureVersion() throws {
        let path = TestDirectories.make().path + "/model"
        try Self.makeBundle().write(to: path)
        let manifestURL = URL(fileURLWithPath: path + "/manifest.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any] ?? [:]
        json["format_version"] = ModelManifest.currentFormatVersion + 1
        try JSONSerialization.data(withJSONObject: json).write(to: manifestURL)
        #expect { try ModelBundle.load(from: path) } throws: { error in
            guard case .newerFormat? = error as? ModelBundleError else { return false }
            return "\(error)".contains("Upgrade")
        }
    }

    @Test("a manifest that is not JSON is refused")
    func garbageManifest() throws {
        let path = TestDirectories.make().path + "/model"
        try Self.makeBundle().write(to: path)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path + "/manifest.json"))
        #expect { try ModelBundle.load(from: path) } throws: { error in
            guard case .invalidManifest? = error as? ModelBundleError else { return false }
            return true
        }
    }

    @Test("the version is derived from the weights: same weights, same version")
    func contentVersion() throws {
        let first = try Self.makeBundle(), second = try Self.makeBundle()
        #expect(first.manifest.version == second.manifest.version)
        #expect(first.manifest.version.count == 12)
    }
}
