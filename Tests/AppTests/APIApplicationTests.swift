import Foundation
import Hummingbird
import HummingbirdTesting
import IntentML
import Logging
import Testing
@testable import App
import TestSupport

/// `buildApplication(configuration:dependencies:)`, the composition root of `intent serve`, built with
/// in-memory dependencies and served on a real socket.
@Suite("intent serve: the composition root")
struct APIApplicationTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A source that remembers the paths it was asked for.
    final class RecordingSource: ModelSource, @unchecked Sendable {
        let snapshot: ServedModel.Snapshot?
        private let lock = NSLock()
        private var asked: [String] = []
        init(_ snapshot: ServedModel.Snapshot?) { self.snapshot = snapshot }

        func load(path: String) throws -> ServedModel.Snapshot {
            lock.lock()
            asked.append(path)
            lock.unlock()
            guard let snapshot else { throw ScriptedSourceError.broken }
            return snapshot
        }

        var paths: [String] {
            lock.lock()
            defer { lock.unlock() }
            return asked
        }
    }

    @Test("the model comes from the source at the configured path, every answer reaches the prediction log, and the log stops after the server")
    func wiring() async throws {
        let source = RecordingSource(try TestModels.shared.get())
        let log = InMemoryPredictionLog()
        var configuration = APIConfiguration()
        configuration.modelPath = "/models/served-here"
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = try buildApplication(configuration: configuration,
                                          dependencies: APIDependencies(modelSource: source, predictionLog: log, logger: Self.quiet))
        #expect(source.paths == ["/models/served-here"])
        let statuses = try await server.application.test(.live) { client in
            let port = try #require(client.port)
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result {
                        let connection = try HTTPConnection(port: port)
                        // The event-loop fast path, a batch, the router's GET, and a refusal (not logged).
                        return [try connection.send("POST", "/v1/predict", body: #"{"text": "book a table"}"#).status,
                                try connection.send("POST", "/v1/predict", body: #"{"texts": ["hola", "天気"]}"#).status,
                                try connection.send("GET", "/v1/predict?text=weather").status,
                                try connection.send("POST", "/v1/predict", body: "{").status]
                    })
                }
            }
        }
        #expect(statuses == [200, 200, 200, 400])
        let entries = log.entries
        #expect(entries.map(\.text) == ["book a table", "hola", "天気", "weather"])
        let expected = try TestModels.shared.get().classifier.predict("hola")
        #expect(entries[1].intent == expected.intent && entries[1].confidence == expected.confidence)
        #expect(entries.allSatisfy { $0.modelVersion == server.model.current.manifest.version })
        #expect(log.entriesAtStop == 4, "the log was stopped after the last answer")
    }

    @Test("a model the source cannot load stops the build with the source's reason")
    func unloadableModel() throws {
        #expect(throws: ScriptedSourceError.broken) {
            _ = try buildApplication(configuration: APIConfiguration(), dependencies: APIDependencies(modelSource: RecordingSource(nil)))
        }
    }

    @Test("the reloader reloads through the same source, at the same path")
    func reloadUsesTheSource() async throws {
        let source = ScriptedModelSource([.success(try TestModels.snapshot(seed: 1)), .success(try TestModels.snapshot(seed: 2))])
        var configuration = APIConfiguration()
        configuration.modelPath = "/served/model"
        let server = try buildApplication(configuration: configuration, dependencies: APIDependencies(modelSource: source))
        let before = server.model.current.manifest.version
        guard case let .reloaded(previous, current) = await server.reloader.reload() else {
            Issue.record("the reload failed")
            return
        }
        #expect(previous.version == before && current.version != before && server.model.current.manifest.version == current.version)
    }

    @Test("a request log or admin token that cannot be used stops the start with the flag and the reason")
    func productionDependencies() throws {
        let root = TestDirectories.make(prefix: "intent-cli")
        let file = root.appendingPathComponent("a-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        var configuration = APIConfiguration()
        configuration.requestLogPath = file.appendingPathComponent("requests.sqlite").path
        #expect {
            _ = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        } throws: { error in
            "\(error)".hasPrefix("cannot open the request log \(configuration.requestLogPath): \(file.path): ")
                && "\(error)".contains("--request-log none") && !"\(error)".contains("NSCocoaErrorDomain")
        }
        configuration.requestLogPath = "none"
        configuration.adminTokenFile = root.appendingPathComponent("missing-token").path
        #expect {
            _ = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        } throws: { error in "\(error)".hasPrefix("--admin-token-file: ") }
        configuration.adminTokenFile = nil
        let dependencies = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        #expect(dependencies.predictionLog == nil && dependencies.adminToken == nil)
    }
}
