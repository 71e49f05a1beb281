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
    /// A source that remembers the paths it was asked for and serves its models in turn (the last one
    /// again when they run out), each as loaded from the path asked, as bundles on disk are.
    final class RecordingSource: ModelSource, @unchecked Sendable {
        private let snapshots: [ServedModel.Snapshot]
        private let lock = NSLock()
        private var asked: [String] = []
        init(_ snapshot: ServedModel.Snapshot?) { snapshots = snapshot.map { [$0] } ?? [] }
        init(sequence: [ServedModel.Snapshot]) { snapshots = sequence }

        func load(path: String) throws -> ServedModel.Snapshot {
            lock.lock()
            asked.append(path)
            let index = asked.count - 1
            lock.unlock()
            guard let snapshot = snapshots.isEmpty ? nil : snapshots[min(index, snapshots.count - 1)] else { throw ScriptedSourceError.broken }
            return ServedModel.Snapshot(classifier: snapshot.classifier, manifest: snapshot.manifest, path: path)
        }

        var paths: [String] {
            lock.lock()
            defer { lock.unlock() }
            return asked
        }
    }

    @Test("the model comes from the source at the configured path, every answer reaches the prediction log, which is stopped with the application")
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
        try #require(entries.count == 4, "\(entries)")
        #expect(entries.map(\.text) == ["book a table", "hola", "天気", "weather"])
        let expected = try TestModels.shared.get().classifier.predict("hola")
        #expect(entries[1].intent == expected.intent && entries[1].confidence == expected.confidence)
        #expect(entries.allSatisfy { $0.modelVersion == server.model.current.manifest.version })
        #expect(log.entriesAtStop == 4, "the log runs as a service of the application and was stopped after the last answer")
    }

    @Test("a model the source cannot load stops the build with the source's reason")
    func unloadableModel() throws {
        #expect(throws: ScriptedSourceError.broken) {
            _ = try buildApplication(configuration: APIConfiguration(), dependencies: APIDependencies(modelSource: RecordingSource(nil)))
        }
    }

    @Test("the reloader reloads through the same source, at the same path")
    func reloadUsesTheSource() async throws {
        let first = try TestModels.snapshot(seed: 1), second = try TestModels.snapshot(seed: 2)
        let source = RecordingSource(sequence: [first, second])
        var configuration = APIConfiguration()
        configuration.modelPath = "/models/configured"
        let server = try buildApplication(configuration: configuration, dependencies: APIDependencies(modelSource: source))
        guard case let .reloaded(previous, current) = await server.reloader.reload() else {
            Issue.record("the reload failed")
            return
        }
        #expect(previous.version == first.manifest.version && current.version == second.manifest.version)
        #expect(server.model.current.manifest.version == second.manifest.version)
        #expect(source.paths == ["/models/configured", "/models/configured"])
    }

    @Test("a request log or admin token that cannot be used stops the start with the flag and the reason")
    func productionDependencies() throws {
        let root = TestDirectories.make(prefix: "intent-cli")
        let file = root.appendingPathComponent("a-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        var configuration = APIConfiguration()
        configuration.requestLogPath = file.appendingPathComponent("requests.sqlite").path
        // Opened only once the model has loaded, so a model that fails to load leaves no log file behind.
        let dependencies = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        #expect {
            _ = try dependencies.openPredictionLog()
        } throws: { error in
            "\(error)".hasPrefix("cannot open the request log \(configuration.requestLogPath): ") && "\(error)".contains("File exists")
                && "\(error)".contains("--request-log none") && !"\(error)".contains("NSCocoaErrorDomain")
        }
        var unloadable = APIConfiguration()
        unloadable.requestLogPath = root.appendingPathComponent("logs/requests.sqlite").path
        #expect(throws: ScriptedSourceError.broken) {
            var failing = try APIDependencies.production(configuration: unloadable, logger: Self.quiet)
            failing.modelSource = RecordingSource(nil)
            _ = try buildApplication(configuration: unloadable, dependencies: failing)
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("logs").path), "no log directory for a server that did not start")
        configuration.requestLogPath = "none"
        configuration.adminTokenFile = root.appendingPathComponent("missing-token").path
        #expect {
            _ = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        } throws: { error in "\(error)".hasPrefix("--admin-token-file: ") }
        configuration.adminTokenFile = nil
        let none = try APIDependencies.production(configuration: configuration, logger: Self.quiet)
        #expect(try none.openPredictionLog() == nil && none.adminToken == nil)
    }
}
