import Foundation
import IntentML
import ServiceLifecycle
@testable import App

/// Models for the API's tests, trained in process on the built-in dataset: no bundle on disk and no
/// `intent train` child process. Only tests that compare the API with the real `intent predict` use
/// the CLI-trained bundle (`CommandLineTests.model`).
enum TestModels {
    /// One small n-gram model, trained once per test run and shared (each test wraps it in its own
    /// `ServedModel`, so a reload in one test never shows in another).
    static let shared: Result<ServedModel.Snapshot, any Error> = Result { try snapshot(seed: 1) }

    static func served() throws -> ServedModel { ServedModel(try shared.get()) }

    /// An n-gram model trained on the built-in dataset with `seed`, as `path` would serve it.
    static func snapshot(seed: UInt64, path: String = "/served/model") throws -> ServedModel.Snapshot {
        let bundle = try bundle(seed: seed)
        return ServedModel.Snapshot(classifier: bundle.classifier, manifest: bundle.manifest, path: path)
    }

    /// The same model as a bundle, for tests that serve or swap files on disk.
    static func bundle(seed: UInt64) throws -> ModelBundle {
        // The default settings: a model as good as `intent train` makes, in about a second of a debug build.
        bundle(of: IntentClassifier.ngram(try NGramTrainer(hyperparameters: Hyperparameters(), seed: seed).train(DefaultDataset.examples())), seed: seed)
    }

    /// A small LSTM with self-attention trained on the built-in dataset (seconds in a debug build).
    static func lstm(seed: UInt64) throws -> IntentClassifier {
        var settings = LSTMHyperparameters()
        settings.embeddingDimension = 12
        settings.hiddenSize = 8
        settings.attentionSize = 6
        settings.epochs = 3
        return .lstmAttention(try LSTMTrainer(hyperparameters: settings, seed: seed).train(DefaultDataset.examples()).classifier)
    }

    /// `classifier` as a bundle with a placeholder training record.
    static func bundle(of classifier: IntentClassifier, seed: UInt64) -> ModelBundle {
        ModelBundle(
            classifier: classifier, name: "model", toolVersion: "test", seed: seed, threads: 1,
            trainingData: .init(sha256: "00", sources: ["<built-in>"], examples: 1, validationExamples: 0, outOfDomainExamples: 0),
            metrics: [:])
    }
}

/// A source that always hands out the same model, whatever the path.
struct FixedModelSource: ModelSource {
    let snapshot: ServedModel.Snapshot
    func load(path: String) throws -> ServedModel.Snapshot { snapshot }
}

/// The prediction log's in-memory double: keeps every entry; as a service, it notes that it was stopped
/// and whether every entry it holds came before that.
final class InMemoryPredictionLog: PredictionLog, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [RequestLogEntry] = []
    private var stoppedWith: Int?

    func record(_ entry: RequestLogEntry) {
        lock.lock()
        recorded.append(entry)
        lock.unlock()
    }

    var entries: [RequestLogEntry] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// How many entries it held when its service was told to stop (nil while running or never run).
    var entriesAtStop: Int? {
        lock.lock()
        defer { lock.unlock() }
        return stoppedWith
    }

    var counts: (queued: Int, dropped: Int, written: Int) { (0, 0, entries.count) }
    var destination: String { "memory" }

    func run() async throws {
        try? await gracefulShutdown()
        lock.withLock { stoppedWith = recorded.count }
    }
}
