import Foundation
import IntentML

/// The model the API answers with, swapped atomically when a new bundle is loaded.
///
/// Requests take a snapshot (one lock, one reference copy) and predict without holding the lock, so a
/// reload never blocks or tears a request: each request is answered by exactly one model.
final class ServedModel: @unchecked Sendable {
    /// One loaded bundle: what answers, and what `GET /v1/model` shows.
    struct Snapshot: Sendable {
        var classifier: NGramClassifier
        var manifest: ModelManifest
        var path: String
    }

    private let lock = NSLock()
    private var snapshot: Snapshot

    init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    /// Loads and checks the bundle at `path`.
    static func load(path: String) throws -> Snapshot {
        let bundle = try ModelBundle.load(from: path)
        return Snapshot(classifier: bundle.classifier, manifest: bundle.manifest, path: path)
    }

    /// The model serving now.
    var current: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return snapshot
    }

    /// Replaces the model; requests already running finish with the old one.
    func replace(with new: Snapshot) {
        lock.lock()
        snapshot = new
        lock.unlock()
    }
}
