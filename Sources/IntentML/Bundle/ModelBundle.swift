import Foundation
import IntentSupport

/// A trained model on disk: a directory with `manifest.json`, `weights.bin` and `vocabulary.txt`.
///
/// Writing is atomic: the bundle is written to a temporary sibling directory, flushed, and renamed into
/// place, so a reader sees the old bundle or the new one, never a half-written one. Loading checks the
/// format version, the size and sha256 of every file, and the consistency of the weights with the
/// manifest before building the model.
public struct ModelBundle: Sendable {
    public static let manifestFile = "manifest.json"
    public static let weightsFile = "weights.bin"
    public static let vocabularyFile = "vocabulary.txt"
    /// An ensemble's LSTM member (its n-gram member uses `weights.bin` and `vocabulary.txt`).
    public static let lstmWeightsFile = "lstm-weights.bin"
    public static let lstmVocabularyFile = "lstm-vocabulary.txt"

    public var manifest: ModelManifest
    public var classifier: IntentClassifier

    /// Wraps a trained classifier with its manifest; the version is derived from the weights.
    public init(
        classifier: IntentClassifier, name: String, toolVersion: String, seed: UInt64, threads: Int,
        trainingData: ModelManifest.TrainingData, metrics: [String: Double], createdAt: Date = Date()
    ) {
        let files = ModelBundle.files(of: classifier)
        let weights = files[ModelBundle.weightsFile] ?? Data()
        // The version names the weights: for an ensemble, both members' weights.
        let weightsDigest = SHA256.hexDigest(of: [UInt8](weights) + [UInt8](files[ModelBundle.lstmWeightsFile] ?? Data()))
        let hyperparameters: ModelHyperparameters
        let features: ModelManifest.Features
        switch classifier {
        case .ngram(let model):
            let settings = model.hyperparameters
            hyperparameters = .ngram(settings)
            features = .init(
                hashBuckets: settings.hashBuckets, wordNgrams: settings.wordNgrams, charNgramMin: settings.charNgramMin,
                charNgramMax: settings.charNgramMax, vocabularySize: model.extractor.vocabulary.count,
                vocabularyMinCount: model.extractor.vocabulary.minCount, rows: model.table.count)
        case .lstmAttention(let model):
            hyperparameters = .lstmAttention(model.hyperparameters)
            // Words, not hashed n-grams: one embedding row per vocabulary word plus the unknown word.
            features = .init(
                hashing: "none", hashBuckets: 0, wordNgrams: 1, charNgramMin: 0, charNgramMax: 0,
                vocabularySize: model.vocabulary.count, vocabularyMinCount: model.vocabulary.minCount, rows: model.vocabulary.count + 1)
        case .ensemble(let model):
            // The n-gram member's features; the LSTM member's vocabulary is its own file.
            hyperparameters = .ensemble(model.hyperparameters)
            let settings = model.ngram.hyperparameters
            features = .init(
                hashBuckets: settings.hashBuckets, wordNgrams: settings.wordNgrams, charNgramMin: settings.charNgramMin,
                charNgramMax: settings.charNgramMax, vocabularySize: model.ngram.extractor.vocabulary.count,
                vocabularyMinCount: model.ngram.extractor.vocabulary.minCount, rows: model.ngram.table.count)
        }
        manifest = ModelManifest(
            formatVersion: ModelManifest.currentFormatVersion, modelKind: classifier.kind, name: name,
            version: String(weightsDigest.prefix(12)), createdAt: ISO8601DateFormatter().string(from: createdAt),
            toolVersion: toolVersion, hyperparameters: hyperparameters, seed: seed, threads: threads,
            labels: classifier.labels, unknownThreshold: classifier.unknownThreshold, features: features,
            trainingData: trainingData, metrics: metrics,
            files: files.mapValues { .init(sha256: SHA256.hexDigest(of: [UInt8]($0)), bytes: $0.count) })
        self.classifier = classifier
    }

    /// `weights.bin` of either kind.
    /// The bundle's files besides the manifest, by name.
    static func files(of classifier: IntentClassifier) -> [String: Data] {
        switch classifier {
        case .ngram(let model):
            return [weightsFile: WeightsCodec.encode(model), vocabularyFile: VocabularyCodec.encode(model.extractor.vocabulary)]
        case .lstmAttention(let model):
            return [weightsFile: LSTMWeightsCodec.encode(model), vocabularyFile: VocabularyCodec.encode(model.vocabulary)]
        case .ensemble(let model):
            return [weightsFile: WeightsCodec.encode(model.ngram), vocabularyFile: VocabularyCodec.encode(model.ngram.extractor.vocabulary),
                    lstmWeightsFile: LSTMWeightsCodec.encode(model.lstmAttention),
                    lstmVocabularyFile: VocabularyCodec.encode(model.lstmAttention.vocabulary)]
        }
    }

    /// Writes the bundle atomically to `path` (a directory), replacing any bundle already there.
    public func write(to path: String) throws {
        let destination = URL(fileURLWithPath: path).standardizedFileURL
        let parent = destination.deletingLastPathComponent()
        let fileManager = FileManager.default
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try ModelBundle.writeDurably(encoder.encode(manifest), to: staging.appendingPathComponent(ModelBundle.manifestFile))
            for (name, data) in ModelBundle.files(of: classifier).sorted(by: { $0.key < $1.key }) {
                try ModelBundle.writeDurably(data, to: staging.appendingPathComponent(name))
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw ModelBundleError.writeFailed(path: path, reason: error.localizedDescription)
        }
        // A directory cannot be renamed over a non-empty one: move the old bundle aside first, then
        // delete it once the new one is in place.
        var retired: URL?
        if fileManager.fileExists(atPath: destination.path) {
            let aside = parent.appendingPathComponent(".\(destination.lastPathComponent).old-\(UUID().uuidString)")
            do { try fileManager.moveItem(at: destination, to: aside) } catch {
                try? fileManager.removeItem(at: staging)
                throw ModelBundleError.writeFailed(path: path, reason: "cannot move the existing bundle aside: \(error.localizedDescription)")
            }
            retired = aside
        }
        do { try fileManager.moveItem(at: staging, to: destination) } catch {
            if let retired { try? fileManager.moveItem(at: retired, to: destination) }
            try? fileManager.removeItem(at: staging)
            throw ModelBundleError.writeFailed(path: path, reason: error.localizedDescription)
        }
        if let retired { try? fileManager.removeItem(at: retired) }
    }

    static func writeDurably(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
