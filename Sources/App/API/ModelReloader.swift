import Foundation
import HTTPServing
import IntentML
import Logging

/// Reloads the served bundle from its directory without downtime: the new bundle is read and checked
/// off the request path, then swapped in atomically; a bundle that fails to load leaves the old model
/// serving and says why. Triggered by SIGHUP and by `POST /admin/reload`; reloads never overlap.
actor ModelReloader {
    let model: ServedModel
    let source: any ModelSource
    let logger: Logger

    init(model: ServedModel, source: any ModelSource = BundleModelSource(), logger: Logger) {
        self.model = model
        self.source = source
        self.logger = logger
    }

    /// What a reload did.
    enum Outcome: Sendable {
        case reloaded(previous: ModelManifest, current: ModelManifest)
        case failed(reason: String)
    }

    /// Loads the bundle at the served path again and swaps it in when it loads and checks.
    func reload() async -> Outcome {
        let previous = model.current
        let path = previous.path
        // Reading and checking the bundle (checksums) is blocking work: keep it off the actor's executor.
        let source = self.source
        let loaded = await Task.detached(priority: .utility) { () -> Result<ServedModel.Snapshot, Error> in
            Result { try source.load(path: path) }
        }.value
        switch loaded {
        case .success(let snapshot):
            model.replace(with: snapshot)
            logger.info("model reloaded", metadata: [
                "intent.model": "\(snapshot.manifest.name)", "intent.version": "\(snapshot.manifest.version)",
                "intent.previous_version": "\(previous.manifest.version)",
            ])
            return .reloaded(previous: previous.manifest, current: snapshot.manifest)
        case .failure(let error):
            logger.error("model reload refused; the previous model keeps serving", metadata: [
                "intent.version": "\(previous.manifest.version)", "error": "\(error)",
            ])
            return .failed(reason: "\(error)")
        }
    }
}

/// Where the served model comes from: a bundle directory (`BundleModelSource`) when serving; in tests,
/// models built in memory, so reloads can be driven without files or a training run.
protocol ModelSource: Sendable {
    /// The model at `path`, loaded and checked; throws when it cannot be served.
    func load(path: String) throws -> ServedModel.Snapshot
}

/// Model bundles on disk (`ModelBundle.load`, checksums and all).
struct BundleModelSource: ModelSource {
    func load(path: String) throws -> ServedModel.Snapshot { try ServedModel.load(path: path) }
}

/// Who may call the admin routes: the bearer token of `--admin-token-file` (`BearerToken`).
struct AdminToken: Sendable {
    private let token: BearerToken

    /// Reads the token from `path`; an unreadable file or a token under 16 characters is refused.
    init(file path: String) throws {
        do { token = try BearerToken(file: path) } catch {
            throw APIConfigurationError.invalid("--admin-token-file: \(error)")
        }
    }

    /// Whether `header` is `Bearer <the token>`, the scheme in any case.
    func accepts(authorization header: String?) -> Bool { token.accepts(authorization: header) }
}
