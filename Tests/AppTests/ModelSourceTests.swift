import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntentML
import Logging
import NIOCore
import Testing
@testable import App
import TestSupport

/// Models made in memory and a source that hands them out in turn: the API's reload path driven with no
/// bundle on disk and no training run.
final class ScriptedModelSource: ModelSource, @unchecked Sendable {
    private let lock = NSLock()
    private var next: [Result<ServedModel.Snapshot, any Error>]

    init(_ next: [Result<ServedModel.Snapshot, any Error>]) { self.next = next }

    func load(path: String) throws -> ServedModel.Snapshot {
        lock.lock()
        defer { lock.unlock() }
        guard !next.isEmpty else { throw ScriptedSourceError.empty }
        return try next.removeFirst().get()
    }
}

enum ScriptedSourceError: Error, CustomStringConvertible {
    case empty, broken
    var description: String { self == .empty ? "no model left to load" : "the bundle is broken" }
}

@Suite("intent serve: the model source seam")
struct ModelSourceTests {
    @Test("POST /admin/reload serves what the source loads, and keeps the old model when the source fails")
    func reloadThroughTheSource() async throws {
        let first = try TestModels.snapshot(seed: 1), second = try TestModels.snapshot(seed: 2)
        #expect(first.manifest.version != second.manifest.version)
        let source = ScriptedModelSource([.failure(ScriptedSourceError.broken), .success(second)])
        let served = ServedModel(first)
        let tokenFile = TestDirectories.make().appendingPathComponent("token")
        try "admin-token-for-tests-0123".write(to: tokenFile, atomically: true, encoding: .utf8)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let router = buildRouter(configuration: APIConfiguration(), model: served,
                                 reloader: ModelReloader(model: served, source: source, logger: logger),
                                 adminToken: try AdminToken(file: tokenFile.path))
        try await Application(router: router, logger: logger).test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer admin-token-for-tests-0123"]
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                let body = String(buffer: response.body)
                #expect(response.status == .unprocessableContent && body.contains("reload_failed") && body.contains("broken"), "\(body)")
            }
            try await client.execute(uri: "/v1/model", method: .get) { response in
                #expect(String(buffer: response.body).contains(first.manifest.version))
            }
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/predict?text=hello", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(second.manifest.version))
            }
        }
    }
}
