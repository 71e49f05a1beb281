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

/// The HTTP API in process: every route, every refusal, and the same answers as `intent predict`.
@Suite("intent serve API", .serialized)
struct APIRouterTests {
    /// A model trained in process (`TestModels`); the parity test with `intent predict` serves the
    /// CLI-trained bundle instead.
    static func served() throws -> ServedModel { try TestModels.served() }

    /// Sends one request through the router; returns the status, the body and the headers.
    static func send(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil, headers: HTTPFields = [:],
                     configuration: APIConfiguration = APIConfiguration(),
                     model: ServedModel? = nil) async throws -> (status: Int, body: String, headers: HTTPFields) {
        let router = buildRouter(configuration: configuration, model: try model ?? served())
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let buffer = body.map { ByteBuffer(bytes: $0) }
        return try await application.test(.router) { client in
            var fields: HTTPFields = [.contentType: "application/json"]
            fields.append(contentsOf: headers)
            return try await client.execute(uri: uri, method: method, headers: fields, body: buffer) { response in
                (Int(response.status.code), String(buffer: response.body), response.headers)
            }
        }
    }

    /// Writes `classifier` as a bundle, serves it, and expects `POST /v1/predict` with `explain` to answer
    /// what the library answers for a few sentences (`explained` checks each explanation), and
    /// `GET /v1/model` to name the kind.
    static func expectServesLibraryAnswers(_ classifier: IntentClassifier,
                                           explained: @escaping @Sendable (_ explanation: [String: Any], _ text: String) -> Void) async throws {
        let path = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("served").path
        try ModelBundle(classifier: classifier, name: "served", toolVersion: "test", seed: 2, threads: 1,
                        trainingData: .init(sha256: "00", sources: ["<built-in>"], examples: 1, validationExamples: 0, outOfDomainExamples: 0),
                        metrics: [:]).write(to: path)
        let router = buildRouter(configuration: APIConfiguration(), model: ServedModel(try ServedModel.load(path: path)))
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await application.test(.router) { client in
            for text in ["book a table for two", "какая погода завтра"] {
                let body = ByteBuffer(bytes: [UInt8](try JSONSerialization.data(withJSONObject: ["text": text, "explain": true])))
                try await client.execute(uri: "/v1/predict", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                    #expect(response.status == .ok)
                    let answer = Self.json(String(buffer: response.body))
                    let expected = classifier.predict(text)
                    #expect(answer["intent"] as? String == expected.intent)
                    #expect((answer["confidence"] as? NSNumber)?.floatValue == expected.confidence)
                    explained(answer["explanation"] as? [String: Any] ?? [:], text)
                }
            }
            try await client.execute(uri: "/v1/model", method: .get) { response in
                #expect(Self.json(String(buffer: response.body))["model_kind"] as? String == classifier.kind)
            }
        }
    }

    @Test("an lstm-attention bundle serves the library's answers, and explain gives attention per token")
    func lstmAttentionModel() async throws {
        let classifier = try TestModels.lstm(seed: 2)
        #expect(classifier.kind == "lstm-attention")
        try await Self.expectServesLibraryAnswers(classifier) { explanation, text in
            let tokens = explanation["tokens"] as? [[String: Any]] ?? []
            #expect(tokens.compactMap { $0["token"] as? String } == Tokenizer.tokens(of: text))
            let attention = tokens.compactMap { ($0["attention"] as? NSNumber)?.doubleValue }.reduce(0, +)
            #expect(abs(attention - 1) < 1e-4)
        }
    }

    @Test("an ensemble bundle serves the library's answers, explained by its n-gram member")
    func ensembleModel() async throws {
        var settings = EnsembleHyperparameters()
        settings.ngram.dimension = 8
        settings.lstmAttention.embeddingDimension = 8
        settings.lstmAttention.hiddenSize = 6
        settings.lstmAttention.attentionSize = 5
        settings.lstmAttention.epochs = 2
        let outcome = try TrainingPipeline(model: .ensemble(settings), seed: 3).run(train: DefaultDataset.examples())
        guard case .ensemble(let ensemble) = outcome.classifier else {
            Issue.record("not an ensemble")
            return
        }
        #expect(outcome.classifier.kind == "ensemble")
        try await Self.expectServesLibraryAnswers(outcome.classifier) { explanation, text in
            #expect(explanation["intent"] as? String == ensemble.ngram.explain(text).intent)
            #expect(!((explanation["features"] as? [Any]) ?? []).isEmpty)
        }
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    @Test("POST /v1/predict answers exactly what `intent predict` answers for the same sentences")
    func parityWithBatchCLI() async throws {
        let sentences = ["I want to book a table for two tonight", "Хочу заказать столик на вечер",
                         "明天北京的天气怎么样", "¿Qué tiempo hará mañana en Madrid?", "the mitochondria is the powerhouse of the cell"]
        let input = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("input.txt")
        try sentences.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let bundle = try CommandLineTests.model
        let cli = try IntentProcess.run(["predict", "--model", bundle.path, "--input", input.path, "--top-k", "3"])
        let served = ServedModel(try ServedModel.load(path: bundle.path))
        let rows = cli.stdout.split(separator: "\n").map { Self.json(String($0)) }
        #expect(rows.count == sentences.count)
        for (sentence, row) in zip(sentences, rows) {
            let body = try JSONSerialization.data(withJSONObject: ["text": sentence, "top_k": 3])
            let response = try await Self.send(.post, "/v1/predict", body: [UInt8](body), model: served)
            #expect(response.status == 200)
            var answer = Self.json(response.body)
            #expect((answer.removeValue(forKey: "model") as? [String: Any])?["version"] as? String == served.current.manifest.version)
            let canonical = { (object: [String: Any]) in String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self) }
            #expect(!row.isEmpty && canonical(answer) == canonical(row), "API \(canonical(answer)) vs CLI \(canonical(row))")
        }
    }

    @Test("a batch answers in order; GET answers like POST; explain adds up to the score")
    func batchGetExplain() async throws {
        let texts = ["book a table", "what's the weather", "cancel my order"]
        let batch = try await Self.send(.post, "/v1/predict", body: [UInt8](try JSONSerialization.data(withJSONObject: ["texts": texts])))
        let predictions = Self.json(batch.body)["predictions"] as? [[String: Any]] ?? []
        #expect(batch.status == 200 && predictions.compactMap { $0["text"] as? String } == texts)
        let get = try await Self.send(.get, "/v1/predict?text=book%20a%20table&top_k=2")
        let post = try await Self.send(.post, "/v1/predict", body: Array(#"{"text":"book a table","top_k":2}"#.utf8))
        #expect(get.status == 200 && get.body == post.body)
        let explained = Self.json(try await Self.send(.post, "/v1/predict", body: Array(#"{"text":"book a table for two","explain":true}"#.utf8)).body)
        let explanation = try #require(explained["explanation"] as? [String: Any])
        let tokens = explanation["tokens"] as? [[String: Any]] ?? []
        #expect(tokens.compactMap { $0["token"] as? String } == ["book", "a", "table", "for", "two"])
        let total = tokens.compactMap { ($0["contribution"] as? NSNumber)?.doubleValue }.reduce(0, +) + ((explanation["bias"] as? NSNumber)?.doubleValue ?? 0)
        #expect(abs(total - ((explanation["score"] as? NSNumber)?.doubleValue ?? .nan)) < 1e-3)
    }

    @Test("model, health and readiness")
    func modelAndProbes() async throws {
        let model = Self.json(try await Self.send(.get, "/v1/model").body)
        #expect(model["format_version"] != nil && model["labels"] != nil && model["training_data"] != nil)
        #expect(try await Self.send(.get, "/healthz").status == 200)
        let ready = try await Self.send(.get, "/readyz")
        #expect(ready.status == 200 && ready.body.contains(#""status":"ready""#))
    }

    @Test("bad input gets a 4xx with the JSON error shape, never a 500", arguments: [
        (HTTPRequest.Method.post, "/v1/predict", #"{"text": "#, 400, "invalid_json"),
        (.post, "/v1/predict", #"["book a table"]"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": 42}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"texts": "book"}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": "hi", "top_k": "3"}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "a", "texts": ["b"]}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "   "}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"texts": []}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "hi", "top_k": 0}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "hi", "top_k": 1000}"#, 422, "invalid_field"),
        (.post, "/v1/predict", "{\"text\": \"" + String(repeating: "é", count: 5_001) + "\"}", 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": null}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": "hi", "top_k": 2.5}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": "hi", "top_k": 1e300}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "hi"} {}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": "\ud800 alone"}"#, 400, "invalid_json"),
        (.post, "/v1/predict", #"{"text": "hi", "extra": "#.appending(String(repeating: "[", count: 70)), 400, "invalid_json"),
        (.post, "/v1/predict", " ", 400, "invalid_json"),
        (.trace, "/v1/predict", "", 405, "method_not_allowed"),
        (.post, "/v1/predict", "{\"texts\": [" + Array(repeating: "\"a\"", count: 257).joined(separator: ",") + "]}", 422, "invalid_field"),
        (.get, "/v1/predict", "", 422, "invalid_field"),
        (.get, "/v1/predict?text=hi&top_k=abc", "", 400, "invalid_query"),
        (.get, "/v1/predict?text=hi&explain=maybe", "", 400, "invalid_query"),
        (.get, "/v1/predict?text=hi&top_k=0", "", 422, "invalid_field"),
        (.get, "/v1/predict?text=+++", "", 422, "invalid_field"),
        (.get, "/v1/predict?text=%ff%fe", "", 400, "invalid_query"),
        (.get, "/v1/predict?text=%zz", "", 400, "invalid_query"),
        (.get, "/v1/predict?text=abc%", "", 400, "invalid_query"),
        (.get, "/v1/predict?text=a&text=b", "", 400, "invalid_query"),
        (.post, "/v1/predict", #"{"text": ""}"#, 422, "invalid_field"),
        (.post, "/v1/predict", #"{"text": "﻿"}"#, 422, "invalid_field"),
        (.delete, "/v1/predict", "", 405, "method_not_allowed"),
        (.post, "/v1/model", "", 405, "method_not_allowed"),
        (.get, "/v2/predict", "", 404, "not_found"),
    ])
    func badInput(method: HTTPRequest.Method, uri: String, body: String, status: Int, code: String) async throws {
        let response = try await Self.send(method, uri, body: body.isEmpty ? nil : Array(body.utf8))
        #expect(response.status == status, "\(response.body)")
        #expect(Self.json(response.body)["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == code, "\(response.body)")
    }

    @Test("invalid UTF-8 is a 400, an oversized body a 413, and 405 says what is allowed")
    func bytesAndLimits() async throws {
        let invalid = try await Self.send(.post, "/v1/predict", body: [0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
        #expect(invalid.status == 400)
        var small = APIConfiguration()
        small.maxBodyBytes = 1024
        let big = try await Self.send(.post, "/v1/predict", body: Array(("{\"text\": \"" + String(repeating: "a", count: 2000) + "\"}").utf8), configuration: small)
        #expect(big.status == 413 && big.body.contains("payload_too_large"))
        let wrong = try await Self.send(.put, "/v1/predict")
        #expect(wrong.headers[.allow] == "GET, POST, HEAD")
    }

    @Test("/openapi.json lists exactly the routes and methods served, with the limits in force; /docs points at it")
    func openAPI() async throws {
        let response = try await Self.send(.get, "/openapi.json")
        #expect(response.status == 200 && response.headers[.contentType] == "application/json")
        let document = Self.json(response.body)
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Dictionary(uniqueKeysWithValues: paths.map { ($0.key, Set($0.value.keys.map { $0.uppercased() })) })
        let served = Dictionary(uniqueKeysWithValues: servedRoutes.map { ($0.path, Set($0.methods.map(\.rawValue))) })
        #expect(documented == served)
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = try #require(schemas["Text"] as? [String: Any])
        #expect(text["maxLength"] as? Int == APILimits.maxTextCharacters)
        // Every $ref resolves.
        for ref in response.body.matches(of: /"\$ref": "#\/components\/(\w+)\/(\w+)"/) {
            let section = (document["components"] as? [String: Any])?[String(ref.1)] as? [String: Any]
            #expect(section?[String(ref.2)] != nil, "unresolved \(ref.0)")
        }
        let docs = try await Self.send(.get, "/docs")
        #expect(docs.status == 200 && docs.body.contains("openapi.json"))
        // A method the document does not list is a 405 naming the allowed ones, whatever the method.
        let query = try await Self.send(HTTPRequest.Method("QUERY")!, "/openapi.json")
        #expect(query.status == 405 && query.headers[.allow] == "GET, HEAD")
    }

    @Test("/metrics counts requests by route and status, answers by intent")
    func metrics() async throws {
        // With a prediction log, so its written/dropped/queue metrics are checked too.
        let log = InMemoryPredictionLog()
        let router = buildRouter(configuration: APIConfiguration(), model: try Self.served(), metrics: APIMetrics(), requestLog: log)
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let exposition = try await application.test(.router) { client in
            for body in [#"{"text": "hello"}"#, #"{"texts": ["hello", "book a table"]}"#, #"{"text": 1}"#] {
                try await client.execute(uri: "/v1/predict", method: .post, body: ByteBuffer(string: body)) { _ in }
            }
            try await client.execute(uri: "/nowhere", method: .get) { _ in }
            return try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        #expect(exposition.contains(#"intent_http_requests_total{route="/v1/predict",status="200"} 2"#))
        #expect(exposition.contains(#"intent_http_requests_total{route="/v1/predict",status="400"} 1"#))
        #expect(exposition.contains(#",status="404"} 1"#))
        #expect(exposition.contains("intent_prediction_confidence_count 3"))
        #expect(exposition.contains(#"intent_model_info{name="#))
        #expect(log.entries.count == 3 && exposition.contains("intent_request_log_written_total 3"))
        #expect(exposition.contains("intent_request_log_queue_length 0") && exposition.contains("intent_request_log_dropped_total 0"))
    }

    @Test("promtool accepts the /metrics exposition", .enabled(if: TestTools.promtool != nil || TestTools.ci,
                                                            "needs promtool: apt-get install prometheus (.ci/run installs it)"))
    func metricsPassPromtool() async throws {
        let promtool = try #require(TestTools.promtool, "CI must check /metrics with promtool (Debian's prometheus package)")
        let router = buildRouter(configuration: APIConfiguration(), model: try Self.served(), metrics: APIMetrics())
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let exposition = try await application.test(.router) { client in
            for body in [#"{"text": "hello"}"#, #"{"text": 1}"#] {
                try await client.execute(uri: "/v1/predict", method: .post, body: ByteBuffer(string: body)) { _ in }
            }
            return try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        let file = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("metrics.txt")
        try exposition.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\"$1\" check metrics < \"$0\" 2>&1", file.path, promtool]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(try process.waitForExit() == 0, "promtool: \(output)")
    }
}
