import Foundation
import IntentSupport

/// Reading a bundle back, refusing anything newer, damaged or inconsistent.
extension ModelBundle {
    /// Loads and verifies the bundle in directory `path`.
    public static func load(from path: String) throws -> ModelBundle {
        let directory = URL(fileURLWithPath: path)
        let manifestURL = directory.appendingPathComponent(manifestFile)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.fileExists(atPath: manifestURL.path)
        else { throw ModelBundleError.notFound(path: path) }
        let manifestData = try read(manifestURL)
        let manifest = try decodeManifest(manifestData, path: manifestURL.path)

        var contents: [String: Data] = [:]
        var names = [weightsFile, vocabularyFile]
        if case .ensemble = manifest.hyperparameters { names += [lstmWeightsFile, lstmVocabularyFile] }
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let digest = manifest.files[name] else {
                throw ModelBundleError.invalidManifest(path: manifestURL.path, reason: "no checksum for \(name)")
            }
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelBundleError.missingFile(path: url.path) }
            let data = try read(url)
            guard data.count == digest.bytes else {
                throw ModelBundleError.truncated(path: url.path, expected: digest.bytes, found: data.count)
            }
            guard SHA256.hexDigest(of: [UInt8](data)) == digest.sha256 else { throw ModelBundleError.checksumMismatch(path: url.path) }
            contents[name] = data
        }
        let weightsPath = directory.appendingPathComponent(weightsFile).path
        let vocabularyPath = directory.appendingPathComponent(vocabularyFile).path
        let vocabulary = try VocabularyCodec.decode(
            contents[vocabularyFile] ?? Data(), formatVersion: manifest.formatVersion, minCount: manifest.features.vocabularyMinCount,
            path: vocabularyPath)
        guard vocabulary.count == manifest.features.vocabularySize else {
            throw ModelBundleError.inconsistent(
                path: vocabularyPath, reason: "it holds \(vocabulary.count) words, the manifest's vocabulary_size is \(manifest.features.vocabularySize)")
        }
        func ngram(_ hyperparameters: Hyperparameters) throws -> NGramClassifier {
            let decoded = try WeightsCodec.decode(
                contents[weightsFile] ?? Data(), dimension: hyperparameters.dimension, classes: manifest.labels.count,
                rows: manifest.features.rows, path: weightsPath)
            return NGramClassifier(
                hyperparameters: hyperparameters, labels: manifest.labels, vocabulary: vocabulary,
                table: FeatureTable(ids: decoded.ids), featureWeights: decoded.featureWeights,
                embeddings: decoded.embeddings, output: decoded.output, bias: decoded.bias,
                unknownThreshold: manifest.unknownThreshold)
        }
        func lstm(_ hyperparameters: LSTMHyperparameters, weights: String, vocabulary: Vocabulary) throws -> LSTMAttentionClassifier {
            let path = directory.appendingPathComponent(weights).path
            let network = LSTMAttentionNetwork(
                vocabularySize: vocabulary.count + 1, embeddingDimension: hyperparameters.embeddingDimension,
                hiddenSize: hyperparameters.hiddenSize, attentionSize: hyperparameters.attentionSize, classCount: manifest.labels.count)
            let parameters = try LSTMWeightsCodec.decode(contents[weights] ?? Data(), expected: network, path: path)
            guard parameters.allSatisfy(\.isFinite) else {
                throw ModelBundleError.inconsistent(path: path, reason: "the weights hold NaN or infinite values")
            }
            return LSTMAttentionClassifier(
                hyperparameters: hyperparameters, labels: manifest.labels, vocabulary: vocabulary, parameters: parameters,
                unknownThreshold: manifest.unknownThreshold)
        }
        let classifier: IntentClassifier
        switch manifest.hyperparameters {
        case .ngram(let hyperparameters):
            classifier = .ngram(try ngram(hyperparameters))
        case .lstmAttention(let hyperparameters):
            classifier = .lstmAttention(try lstm(hyperparameters, weights: weightsFile, vocabulary: vocabulary))
        case .ensemble(let hyperparameters):
            let members = hyperparameters.members
            let lstmVocabulary = try VocabularyCodec.decode(
                contents[lstmVocabularyFile] ?? Data(), formatVersion: manifest.formatVersion, minCount: members.lstmAttention.minCount,
                path: directory.appendingPathComponent(lstmVocabularyFile).path)
            classifier = .ensemble(try EnsembleClassifier(
                ngram: try ngram(members.ngram), lstmAttention: try lstm(members.lstmAttention, weights: lstmWeightsFile, vocabulary: lstmVocabulary),
                hyperparameters: hyperparameters, unknownThreshold: manifest.unknownThreshold))
        }
        return ModelBundle(manifest: manifest, classifier: classifier)
    }

    init(manifest: ModelManifest, classifier: IntentClassifier) {
        self.manifest = manifest
        self.classifier = classifier
    }

    static func decodeManifest(_ data: Data, path: String) throws -> ModelManifest {
        // Check the version first, so a newer bundle gets "upgrade" rather than a decoding error.
        struct VersionProbe: Decodable {
            var formatVersion: Int?
            var modelKind: String?
            enum CodingKeys: String, CodingKey { case formatVersion = "format_version", modelKind = "model_kind" }
        }
        let probe: VersionProbe
        do { probe = try JSONDecoder().decode(VersionProbe.self, from: data) } catch {
            throw ModelBundleError.invalidManifest(path: path, reason: "not JSON (\((error as? DecodingError)?.readableDescription ?? "\(error)"))")
        }
        guard let version = probe.formatVersion else {
            throw ModelBundleError.invalidManifest(path: path, reason: "missing field 'format_version'")
        }
        guard version <= ModelManifest.currentFormatVersion else {
            throw ModelBundleError.newerFormat(path: path, found: version, supported: ModelManifest.currentFormatVersion)
        }
        guard let kind = probe.modelKind, ModelHyperparameters.kinds.contains(kind) else {
            throw ModelBundleError.unsupportedKind(path: path, kind: probe.modelKind ?? "(none)")
        }
        let manifest: ModelManifest
        do { manifest = try JSONDecoder().decode(ModelManifest.self, from: data) } catch let error as DecodingError {
            throw ModelBundleError.invalidManifest(path: path, reason: error.readableDescription)
        }
        let problems = manifest.hyperparameters.validationProblems()
        guard problems.isEmpty else {
            throw ModelBundleError.invalidManifest(path: path, reason: problems.joined(separator: "; "))
        }
        let labels = manifest.labels
        guard !labels.classes.isEmpty, labels.displayNames.count == labels.count, labels.counts.count == labels.count else {
            throw ModelBundleError.invalidManifest(path: path, reason: "the label lists are empty or of different lengths")
        }
        return manifest
    }

    static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw ModelBundleError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }
}
