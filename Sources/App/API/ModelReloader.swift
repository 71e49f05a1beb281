import ArgumentParser
import Foundation
import IntentML
import Logging

/// Reloads the served bundle from its directory without downtime: the new bundle is read and checked
/// off the request path, then swapped in atomically; a bundle that fails to load leaves the old model
/// serving and says why. Triggered by SIGHUP and by `POST /admin/reload`; reloads never overlap.
actor ModelReloader {
    let model: ServedModel
    let logger: Logger

    init(model: ServedModel, logger: Logger) {
        self.model = model
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
        let loaded = await Task.detached(priority: .utility) { () -> Result<ServedModel.Snapshot, Error> in
            Result { try ServedModel.load(path: path) }
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

/// Who may call the admin routes: a bearer token from a file, compared without leaking its length or
/// content through timing (both sides are hashed first).
struct AdminToken: Sendable {
    private let digest: [UInt8]

    /// Reads the token from `path` (a trailing newline is not part of it); an empty file is refused.
    init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--admin-token-file \(path) cannot be read.")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= 16 else { throw ValidationError("--admin-token-file \(path) must hold a token of at least 16 characters.") }
        digest = SHA256.digest(of: bytes)
    }

    /// Whether `header` is `Bearer <the token>`; the scheme's case does not matter (RFC 9110 11.1), nor
    /// how many spaces follow it.
    func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes.prefix(scheme.count).map({ $0 | 0x20 }) == scheme,
              bytes[scheme.count] == UInt8(ascii: " ") else { return false }
        let credentials = bytes.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") }
        let offered = SHA256.digest(of: Array(credentials))
        var difference: UInt8 = 0
        for (left, right) in zip(offered, digest) { difference |= left ^ right }
        return difference == 0 && offered.count == digest.count
    }
}
