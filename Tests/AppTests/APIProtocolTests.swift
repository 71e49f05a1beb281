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

/// HTTP as clients other than this project's own speak it: HEAD, form-encoded query strings, bearer
/// schemes in any case, byte order marks, and what the metrics call each refusal.
@Suite("intent serve HTTP semantics", .serialized)
struct APIProtocolTests {
    @Test("HEAD on every GET route answers the GET's status and headers with no body", arguments: ["/healthz", "/readyz", "/v1/model", "/metrics", "/openapi.json", "/docs", "/v1/predict?text=hello"])
    func head(path: String) async throws {
        let get = try await APIRouterTests.send(.get, path)
        let head = try await APIRouterTests.send(.head, path)
        #expect(head.status == get.status && head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers[.contentType] == get.headers[.contentType])
        if path != "/metrics", path != "/v1/predict?text=hello" {  // both answers differ from one call to the next
            #expect(head.headers[.contentLength] == String(get.body.utf8.count))
        }
    }

    @Test("HEAD on a route without GET is 405 naming the methods; HEAD of a refused GET keeps the refusal's status")
    func headRefusals() async throws {
        let reload = try await APIRouterTests.send(.head, "/admin/reload")
        #expect(reload.status == 405 && reload.body.isEmpty)
        #expect(reload.headers[.allow] == "POST")
        #expect(try await APIRouterTests.send(.head, "/v1/predict?top_k=3").status == 422)
    }

    @Test("a query string is read as a form: '+' is a space, %XX a UTF-8 byte, as curl --data-urlencode writes it")
    func formQuery() async throws {
        for text in ["show me flights from boston to denver", "¿Qué tiempo hará mañana?", "a+b = c & d", "100% sure", "日本語のテキスト"] {
            let encoded = Self.formEncode(text)
            let get = APIRouterTests.json(try await APIRouterTests.send(.get, "/v1/predict?text=\(encoded)&top_k=2").body)
            let body = try JSONSerialization.data(withJSONObject: ["text": text, "top_k": 2])
            let post = APIRouterTests.json(try await APIRouterTests.send(.post, "/v1/predict", body: [UInt8](body)).body)
            #expect(get["text"] as? String == text, "\(encoded) read as \(get["text"] ?? "nothing")")
            #expect(get["intent"] as? String == post["intent"] as? String)
            #expect((get["confidence"] as? NSNumber) == (post["confidence"] as? NSNumber))
        }
    }

    /// `application/x-www-form-urlencoded`, as curl's --data-urlencode and browsers write it.
    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "): out += "+"
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    @Test("a UTF-8 byte order mark before the JSON body is ignored")
    func byteOrderMark() async throws {
        let response = try await APIRouterTests.send(.post, "/v1/predict", body: [0xEF, 0xBB, 0xBF] + Array(#"{"text": "hello"}"#.utf8))
        #expect(response.status == 200, "\(response.body)")
    }

    @Test("the bearer scheme is matched in any case, the token exactly")
    func bearerScheme() throws {
        let file = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("token")
        try "admin-token-for-tests-0123\n".write(to: file, atomically: true, encoding: .utf8)
        let token = try AdminToken(file: file.path)
        for header in ["Bearer admin-token-for-tests-0123", "bearer admin-token-for-tests-0123", "BEARER  admin-token-for-tests-0123"] {
            #expect(token.accepts(authorization: header), "\(header)")
        }
        for header in ["Bearer admin-token-for-tests-012", "Bearer admin-token-for-tests-0123x", "Basic admin-token-for-tests-0123",
                       "Bearer", "Bearer ", "bearer:admin-token-for-tests-0123", "admin-token-for-tests-0123"] {
            #expect(!token.accepts(authorization: header), "\(header)")
        }
    }

    @Test("the blank text of the server is the one /openapi.json describes, scalar by scalar")
    func blankText() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json(toolVersion: "t").utf8)) as? [String: Any]
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let pattern = try #require((schemas?["Text"] as? [String: Any])?["pattern"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        // Every scalar of the Basic Multilingual Plane that is not a surrogate, alone.
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            let matches = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(matches == !BlankText.isBlank(text), "U+\(String(value, radix: 16)): schema \(matches), server \(!BlankText.isBlank(text))")
        }
    }

    @Test("metrics count a 405 under its route and a 404 as unmatched")
    func metricsLabels() async throws {
        let metrics = APIMetrics()
        let router = buildRouter(configuration: APIConfiguration(), model: try APIRouterTests.served(), metrics: metrics)
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await application.test(.router) { client in
            try await client.execute(uri: "/v1/model", method: .delete) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
        }
        let text = metrics.exposition(model: ("m", "v"))
        #expect(text.contains(#"intent_http_requests_total{route="/v1/model",status="405"} 1"#), "\(text)")
        #expect(text.contains(#"intent_http_requests_total{route="unmatched",status="404"} 1"#), "\(text)")
    }

    @Test("a bundle trained in another directory and moved into place is named after the directory it is served from")
    func servedName() throws {
        let root = TestDirectories.make(prefix: "intent-cli")
        let trained = root.appendingPathComponent(".staging-123")
        try TestModels.bundle(seed: 1).write(to: trained.path)
        let served = root.appendingPathComponent("current")
        try FileManager.default.moveItem(at: trained, to: served)
        #expect(try ServedModel.load(path: served.path).manifest.name == "current")
        #expect(try ServedModel.load(path: served.path + "/").manifest.name == "current")
    }
}
