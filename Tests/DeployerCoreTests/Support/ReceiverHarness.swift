import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
@testable import DeployerCore

/// The receiver wired as `deployer serve` wires it, with a fresh state database and a recording
/// command runner, driven in process.
struct ReceiverHarness {
    let configuration: DeployerConfiguration
    let store: DeploymentStore
    let runner = RecordingCommandRunner()
    let worker: ReleaseWorker
    let metrics = DeployerMetrics()
    let queued = QueuedJobs()

    /// Job ids handed to `onQueued`.
    final class QueuedJobs: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [Int64] = []
        func append(_ id: Int64) { lock.lock(); ids.append(id); lock.unlock() }
        var all: [Int64] { lock.lock(); defer { lock.unlock() }; return ids }
    }

    init(maxBodyBytes: Int = 8192) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-receiver-\(UUID().uuidString)").path
        var configuration = DeployerConfiguration(repositories: ["acme/intentops"], remote: "/srv/git/intentops.git", secretFiles: [])
        configuration.secrets = [WebhookFixtures.secret, WebhookFixtures.rotatedSecret]
        configuration.maxBodyBytes = maxBodyBytes
        configuration.statePath = directory + "/state.sqlite"
        configuration.workDirectory = directory + "/work"
        self.configuration = configuration
        store = try DeploymentStore(path: configuration.statePath)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline = ReleasePipeline(configuration: configuration, store: store, runner: runner, metrics: metrics, logger: logger)
        worker = ReleaseWorker(pipeline: pipeline, store: store, logger: logger)
    }

    /// Sends `request` through the router; returns the status and the body.
    func send(_ request: WebhookRequest, path: String = "/webhook") async throws -> (status: Int, body: String) {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let queued = self.queued
        let router = try buildDeployerRouter(configuration: configuration, store: store, logger: logger, metrics: metrics,
                                             onQueued: { queued.append($0) })
        var fields = HTTPFields()
        for (name, value) in request.headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        let method = HTTPRequest.Method(request.method) ?? .post
        let body = request.body.isEmpty ? nil : ByteBuffer(bytes: request.body)
        let headers = fields
        let application = Application(router: router, logger: logger)
        return try await application.test(.router) { client in
            try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
                (Int(response.status.code), String(buffer: response.body))
            }
        }
    }
}
