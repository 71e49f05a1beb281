import Foundation
import IntentSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntentML
import Logging
import Testing
@testable import App
import TestSupport

/// The request log: what it keeps, that a full queue never fails a request, retention.
@Suite("intent serve request log", .serialized)
struct RequestLogTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func log(_ configure: (inout RequestLog.Settings) -> Void = { _ in }) throws -> RequestLog {
        var settings = RequestLog.Settings(path: TestDirectories.make(prefix: "intent-cli").appendingPathComponent("requests.sqlite").path)
        configure(&settings)
        return try RequestLog(settings: settings, logger: quiet)
    }

    @Test("every prediction of single, batch and GET requests is logged with its request id, answer and model version")
    func logsPredictions() async throws {
        let log = try Self.log()
        let served = try APIRouterTests.served()
        let router = buildRouter(configuration: APIConfiguration(), model: served, requestLog: log)
        let application = Application(router: router, logger: Self.quiet)
        try await application.test(.router) { client in
            let id = HTTPField.Name("X-Request-ID")!
            try await client.execute(uri: "/v1/predict", method: .post, headers: [id: "single-1"],
                                     body: ByteBuffer(string: #"{"text": "book a table for two"}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/predict", method: .post, headers: [id: "batch-1"],
                                     body: ByteBuffer(string: #"{"texts": ["hello", "заказать столик", "天気はどう"]}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/predict?text=hola", method: .get, headers: [id: "get-1"]) { #expect($0.status == .ok) }
            // Refused requests are not predictions and are not logged.
            try await client.execute(uri: "/v1/predict", method: .post, body: ByteBuffer(string: "{")) { #expect($0.status == .badRequest) }
        }
        await log.flush()
        let rows = try log.recent(limit: 10).reversed().map { $0 }
        #expect(rows.map(\.requestID) == ["single-1", "batch-1", "batch-1", "batch-1", "get-1"])
        #expect(rows.map(\.text) == ["book a table for two", "hello", "заказать столик", "天気はどう", "hola"])
        let expected = served.current.classifier.predict("заказать столик")
        #expect(rows[2].intent == expected.intent && rows[2].confidence == expected.confidence)
        #expect(rows.allSatisfy { $0.modelVersion == served.current.manifest.version && $0.latencyMicroseconds >= 0 })
        #expect(rows.allSatisfy { abs($0.time - Date().timeIntervalSince1970) < 60 })
    }

    @Test("text policy: hash keeps the SHA-256, none keeps nothing")
    func textPolicy() async throws {
        for policy in [RequestLogTextPolicy.hash, .none] {
            let log = try Self.log { $0.textPolicy = policy }
            log.record(RequestLogEntry(time: 1e9, requestID: "r", text: "secret words", intent: "x", confidence: 0.5,
                                       latencyMicroseconds: 3, modelVersion: "v"))
            await log.flush()
            let stored = try log.recent(limit: 1).first?.text
            #expect(stored == (policy == .hash ? IntentSupport.SHA256.hexDigest(of: Array("secret words".utf8)) : nil))
        }
    }

    @Test("a full queue drops and counts log rows while every request still succeeds")
    func fullQueue() async throws {
        // Capacity 2 and no writer running: the third prediction on finds the queue full.
        let log = try Self.log { $0.queueCapacity = 2 }
        let metrics = APIMetrics()
        let router = buildRouter(configuration: APIConfiguration(), model: try APIRouterTests.served(), metrics: metrics, requestLog: log)
        let application = Application(router: router, logger: Self.quiet)
        try await application.test(.router) { client in
            for _ in 0..<5 {
                try await client.execute(uri: "/v1/predict?text=hello", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("intent_request_log_dropped_total 3"), "\(body)")
                #expect(body.contains("intent_request_log_queue_length 2"))
            }
        }
        await log.flush()
        #expect(try log.rowCount() == 2)
        #expect(log.queue.counts == (queued: 0, dropped: 3, written: 2))
    }

    @Test("retention deletes rows past the age limit, then the oldest past the row limit")
    func retention() async throws {
        let log = try Self.log { $0.maxAgeSeconds = 3600; $0.maxRows = 3 }
        let now = Date()
        for (index, age) in [7200.0, 10, 9, 8, 7, 6].enumerated() {
            log.record(RequestLogEntry(time: now.timeIntervalSince1970 - age, requestID: "r\(index)", text: nil, intent: "x",
                                       confidence: 1, latencyMicroseconds: 1, modelVersion: "v"))
        }
        await log.flush()
        #expect(try log.rowCount() == 6)
        log.applyRetention(now: now)
        #expect(try log.recent(limit: 10).map(\.requestID) == ["r5", "r4", "r3"])
    }

    @Test("the writer service flushes on a timer and everything left on graceful shutdown")
    func writerService() async throws {
        let log = try Self.log { $0.flushInterval = .milliseconds(20) }
        let entry = RequestLogEntry(time: Date().timeIntervalSince1970, requestID: "a", text: "t", intent: "x", confidence: 1, latencyMicroseconds: 1, modelVersion: "v")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            log.record(entry)
            var waited = 0
            while try log.rowCount() == 0, waited < 200 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(try log.rowCount() == 1, "the timer flushed the first entry")
            log.record(entry)
            group.cancelAll()
            try await group.waitForAll()
        }
        let rows = try log.rowCount()
        #expect(rows == 2, "the last entry was written when the service stopped: \(rows) rows, \(log.queue.counts)")
    }
}
