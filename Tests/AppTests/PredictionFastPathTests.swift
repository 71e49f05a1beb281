import Dispatch
import Foundation
import Hummingbird
import IntentML
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import App
@testable import HTTPServing
import TestSupport

/// `POST /v1/predict` answered on the event loop (`PredictRoute.eventLoopResponder`), at a real socket of the whole
/// application: it must answer exactly what the router answers, and leave to the router everything it
/// does not answer itself, in order.
@Suite("prediction fast path", .serialized)
struct PredictionFastPathTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs the application `intent serve` runs on a free port and gives `body` a connection to it. The
    /// socket calls block, so they run on a Dispatch thread, never on the cooperative pool the router needs.
    static func withServer<T: Sendable>(configuration: APIConfiguration = APIConfiguration(), requestLog: (any PredictionLog)? = nil,
                                        model: ServedModel.Snapshot? = nil,
                                        _ body: @escaping @Sendable (_ port: Int) throws -> T) async throws -> T {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = try buildApplication(configuration: configuration, dependencies: APIDependencies(
            modelSource: FixedModelSource(snapshot: try model ?? TestModels.shared.get()), predictionLog: requestLog, logger: quiet))
        return try await server.application.test(.live) { client in
            let port = try #require(client.port)
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try body(port) }) }
            }
        }
    }

    /// `intent_http_fast_path_requests_total` of the server behind `connection`.
    static func fastPathAnswers(_ connection: HTTPConnection) throws -> Int? {
        let metrics = try connection.send("GET", "/metrics").body
        return metrics.split(separator: "\n").first { $0.hasPrefix("intent_http_fast_path_requests_total ") }
            .flatMap { Int($0.split(separator: " ")[1]) }
    }

    static func request(_ body: String, headers: [String: String] = [:], version: String = "HTTP/1.1") -> String {
        var head = "POST /v1/predict \(version)\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static let bodies = [
        #"{"text": "book a table for two tonight"}"#,
        #"{"text": "какая погода завтра", "top_k": 3}"#,
        #"{"text": "明日の天気は", "explain": true}"#,
        #"{"texts": ["play some jazz", "réserve une table", "  "], "top_k": 2}"#,
        #"{"texts": ["play some jazz", "réserve une table"], "top_k": 2, "explain": true}"#,
    ]

    @Test("answers, refusals and headers are the router's, byte for byte")
    func sameAsRouter() async throws {
        var configuration = APIConfiguration()
        configuration.maxTextCharacters = 40
        var cases = Self.bodies.map { Array($0.utf8) }
        cases += [#"{"text": "#, #"{"text": ""}"#, #"{"text": 3}"#, #"{"text": "hi", "top_k": 0}"#, #"{"text": "hi", "texts": ["a"]}"#,
                  #"{"text": "\#(String(repeating: "a", count: 41))"}"#, "[]", ""].map { Array($0.utf8) }
        cases.append(Array(#"{"text": "caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))  // invalid UTF-8
        // Over the fast path's 8 KiB: the router answers.
        let many = Array(repeating: #""play some jazz music tonight please""#, count: 250).joined(separator: ",")
        cases.append(Array(#"{"texts": [\#(many)]}"#.utf8))
        #expect(cases.last!.count > PredictRoute.eventLoopMaxBodyBytes)
        var expected: [(status: Int, body: String)] = []
        for body in cases {
            let answer = try await APIRouterTests.send(.post, "/v1/predict", body: body, configuration: configuration)
            expected.append((answer.status, answer.body))
        }
        #expect(expected.filter { $0.status == 200 }.count == 5, "the cases cover answers and refusals")
        let requests = cases
        let (received, onEventLoop) = try await Self.withServer(configuration: configuration) { port in
            let connection = try HTTPConnection(port: port)
            let responses = try requests.map { body -> HTTPConnection.Response in
                let head = "POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                try connection.sendRaw(Array(head.utf8) + body)
                return try connection.readResponse()
            }
            return (responses, try Self.fastPathAnswers(connection))
        }
        // Of the five answers, the two without `explain` and under 32 texts came from the event loop.
        #expect(onEventLoop == 2)
        for (index, (response, wanted)) in zip(received, expected).enumerated() {
            #expect(response.status == wanted.status, "case \(index)")
            #expect(response.body == wanted.body, "case \(index)")
            #expect(response.headers["content-type"] == "application/json", "case \(index)")
            #expect(response.headers["content-length"] == "\(response.body.utf8.count)", "case \(index)")
            #expect(response.headers["server"] == "intentops", "case \(index)")
            #expect(response.headers["date"]?.hasSuffix(" GMT") == true, "case \(index)")
            let id = response.headers["x-request-id"] ?? ""
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "case \(index): \(id)")
        }
    }

    @Test("pipelined requests of every kind are answered in order")
    func pipelined() async throws {
        let predict = Self.bodies[0]
        let single = try await APIRouterTests.send(.post, "/v1/predict", body: Array(predict.utf8)).body
        let batch = try await APIRouterTests.send(.post, "/v1/predict", body: Array(Self.bodies[4].utf8)).body
        let responses = try await Self.withServer { port in
            let connection = try HTTPConnection(port: port)
            // Predictions before, between and after requests the router answers, all in one write.
            try connection.sendRaw(Self.request(predict) + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + Self.request(predict)
                                   + Self.request("{") + Self.request(Self.bodies[4]) + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                                   + Self.request(predict, headers: ["X-Request-ID": "mine-1"]))
            return try (0..<7).map { _ in try connection.readResponse() }
        }
        #expect(responses.map(\.status) == [200, 200, 200, 400, 200, 404, 200])
        #expect(responses[0].body == single)
        #expect(responses[1].body == #"{"status":"ok"}"#)
        #expect(responses[2].body == single)
        #expect(responses[4].body == batch)
        #expect(responses[6].body == single)
        #expect(responses[6].headers["x-request-id"] == "mine-1")
    }

    @Test("a chunked body is answered; one over the body cap is the router's 413")
    func chunked() async throws {
        var configuration = APIConfiguration()
        configuration.maxBodyBytes = 100
        let body = Self.bodies[0]
        let expected = try await APIRouterTests.send(.post, "/v1/predict", body: Array(body.utf8), configuration: configuration).body
        let responses = try await Self.withServer(configuration: configuration) { port in
            let connection = try HTTPConnection(port: port)
            func chunked(_ parts: [String]) -> String {
                "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + parts.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined() + "0\r\n\r\n"
            }
            let half = body.index(body.startIndex, offsetBy: 10)
            try connection.sendRaw(chunked([String(body[..<half]), String(body[half...])]))
            let answered = try connection.readResponse()
            try connection.sendRaw(chunked(Array(repeating: String(repeating: " ", count: 60), count: 2) + [body]))
            let tooLarge = try connection.readResponse()
            return [answered, tooLarge]
        }
        #expect(responses[0].status == 200)
        #expect(responses[0].body == expected)
        #expect(responses[1].status == 413)
        #expect(responses[1].body.contains("payload_too_large"))

        // Over the fast path's 8 KiB (32 texts), in three chunks: replayed to the router, which answers it.
        let long = String(repeating: "what will the weather be like tomorrow ", count: 7)
        let batch = "{\"texts\": [" + Array(repeating: "\"\(long)\"", count: 32).joined(separator: ",") + "]}"
        #expect(batch.utf8.count > PredictRoute.eventLoopMaxBodyBytes)
        let answer = try await APIRouterTests.send(.post, "/v1/predict", body: Array(batch.utf8)).body
        let third = batch.utf8.count / 3
        let parts = [String(batch.prefix(third)), String(batch.dropFirst(third).prefix(third)), String(batch.dropFirst(2 * third))]
        let (replayed, onEventLoop) = try await Self.withServer { port in
            let connection = try HTTPConnection(port: port)
            try connection.sendRaw("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   + parts.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined() + "0\r\n\r\n")
            return (try connection.readResponse(), try Self.fastPathAnswers(connection))
        }
        #expect(replayed.status == 200)
        #expect(replayed.body == answer)
        #expect(onEventLoop == 0)
    }

    @Test("Connection: close and HTTP/1.0 go to the router: the same answer, and Connection: close closes")
    func closingConnections() async throws {
        let body = Self.bodies[1]
        let expected = try await APIRouterTests.send(.post, "/v1/predict", body: Array(body.utf8)).body
        let outcomes = try await Self.withServer { port in
            let closing = try HTTPConnection(port: port)
            try closing.sendRaw(Self.request(body, headers: ["Connection": "close"]))
            let closed = try closing.readResponse()
            // Hummingbird answers HTTP/1.0 as HTTP/1.1 and keeps the connection open; only the answer is checked.
            let old = try HTTPConnection(port: port)
            try old.sendRaw(Self.request(body, version: "HTTP/1.0"))
            let oldAnswer = try old.readResponse()
            let before = try Self.fastPathAnswers(HTTPConnection(port: port))
            // `Connection: keep-alive`, which many clients send, is answered on the event loop.
            let keepAlive = try HTTPConnection(port: port)
            try keepAlive.sendRaw(Self.request(body, headers: ["Connection": "Keep-Alive"]))
            let kept = try keepAlive.readResponse()
            return (closed, closing.isClosedByServer(), oldAnswer, before, kept, try Self.fastPathAnswers(keepAlive))
        }
        #expect(outcomes.3 == 0, "Connection: close and HTTP/1.0 went to the router")
        #expect(outcomes.4.status == 200)
        #expect(outcomes.4.body == expected)
        #expect(outcomes.5 == 1)
        #expect(outcomes.0.status == 200)
        #expect(outcomes.0.body == expected)
        #expect(outcomes.1, "the connection is closed after Connection: close")
        #expect(outcomes.2.status == 200)
        #expect(outcomes.2.body == expected)
    }

    @Test("request ids, metrics and the request log count what the fast path answered")
    func countsAndLogs() async throws {
        let path = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("requests.sqlite").path
        let log = try RequestLog(settings: .init(path: path), logger: Self.quiet)
        let (responses, metrics) = try await Self.withServer(requestLog: log) { port in
            let connection = try HTTPConnection(port: port)
            let long = String(repeating: "x", count: 129)
            var responses: [HTTPConnection.Response] = []
            for headers in [["X-Request-ID": "abc-123"], ["X-Request-ID": long], [:]] {
                try connection.sendRaw(Self.request(Self.bodies[0], headers: headers))
                responses.append(try connection.readResponse())
            }
            try connection.sendRaw(Self.request(Self.bodies[3]))  // a batch of three: one text is only spaces
            responses.append(try connection.readResponse())
            try connection.sendRaw(Self.request(#"{"texts": ["play some jazz", "réserve une table"]}"#))
            responses.append(try connection.readResponse())
            // The id twice: the router reads "a, b", not an acceptable id, and makes one.
            try connection.sendRaw(Self.request(Self.bodies[0]).replacingOccurrences(of: "Host: 127.0.0.1\r\n",
                                                                                     with: "Host: 127.0.0.1\r\nX-Request-ID: a\r\nX-Request-ID: b\r\n"))
            responses.append(try connection.readResponse())
            return (responses, try connection.send("GET", "/metrics").body)
        }
        #expect(responses.map(\.status) == [200, 200, 200, 422, 200, 200])
        #expect(responses[0].headers["x-request-id"] == "abc-123")
        #expect(responses[1].headers["x-request-id"]?.count == 32, "an id over 128 characters is replaced")
        #expect(responses[5].headers["x-request-id"]?.count == 32, "a repeated id is replaced, as the router does")
        #expect(metrics.contains(#"intent_http_requests_total{route="/v1/predict",status="200"} 5"#))
        #expect(metrics.contains(#"intent_http_requests_total{route="/v1/predict",status="422"} 1"#))
        #expect(metrics.contains("intent_http_fast_path_requests_total 5"), "all but the refusal, the one after it included")
        #expect(metrics.contains("intent_prediction_confidence_count 6"))
        // Each answer's row carries the id its response did (the log was flushed when the server stopped).
        let rows = try log.recent(limit: 100)
        #expect(rows.count == 6)
        let answeredIDs = responses.filter { $0.status == 200 }.compactMap { $0.headers["x-request-id"] }
        #expect(Set(rows.map(\.requestID)) == Set(answeredIDs))
        #expect(rows.filter { $0.requestID == "abc-123" }.map(\.text) == [#"book a table for two tonight"#])
    }

    @Test("with a slower model (LSTM), only one short text is answered on the event loop; batches and long bodies go to the router")
    func slowModelsKeepTheEventLoopShort() async throws {
        let bundle = TestModels.bundle(of: try TestModels.lstm(seed: 2), seed: 2)
        let snapshot = ServedModel.Snapshot(classifier: bundle.classifier, manifest: bundle.manifest, path: "/served/lstm")
        let long = #"{"text": ""# + String(repeating: "book a table ", count: 100) + #""}"#
        let counts = try await Self.withServer(model: snapshot) { port in
            let connection = try HTTPConnection(port: port)
            var seen: [Int?] = [try Self.fastPathAnswers(connection)]
            for body in [Self.bodies[0], #"{"texts": ["play some jazz", "réserve une table"]}"#, long] {
                try connection.sendRaw(Self.request(body))
                #expect(try connection.readResponse().status == 200)
                seen.append(try Self.fastPathAnswers(connection))
            }
            return seen
        }
        #expect(counts == [0, 1, 1, 1], "one short text on the event loop; a batch and a 1.3 KB body by the router")
    }

    @Test("no more is read while the channel cannot take the answers (a client that never reads)")
    func backpressure() throws {
        let endpoint = PredictionEndpoint(model: try APIRouterTests.served(), configuration: APIConfiguration(), metrics: APIMetrics(), requestLog: nil,
                                          budgets: APIBudgets(configuration: APIConfiguration()))
        let reads = ReadCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(reads)
        try channel.pipeline.syncOperations.addHandler(PredictRoute.eventLoopResponder(endpoint: endpoint, serverName: nil))
        channel.read()
        #expect(reads.count == 1)
        channel.isWritable = false
        channel.read()
        #expect(reads.count == 1, "held while not writable")
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(reads.count == 1)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(reads.count == 2, "the held read goes on once writable")
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(reads.count == 2, "and only once")
        _ = try channel.finish()
    }
}
