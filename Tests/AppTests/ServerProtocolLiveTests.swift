import Foundation
import Testing

/// HTTP/1 as real clients speak it, at a live socket: HTTP/1.0, `Expect: 100-continue`, and heads the
/// parser refuses, each answered with its status and the JSON error shape.
@Suite("intent serve protocol details", .serialized)
struct ServerProtocolLiveTests {
    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The error code of a JSON error body.
    static func code(_ response: HTTPConnection.Response) -> String? {
        (json(response.body)["error"] as? [String: Any])?["code"] as? String
    }

    @Test("heads the parser refuses get 414, 431, 501 or 400 with the JSON error body, and the connection closes")
    func refusedHeads() throws {
        let server = try ServerLimitsLiveTests.server()
        let cases: [(String, Int, String)] = [
            ("GET /v1/predict?text=" + String(repeating: "a", count: 80_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
            ("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<1_200).map { "X-Field-\($0): v\r\n" }.joined() + "\r\n", 431, "header_fields_too_large"),
            ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "v", count: 120_000) + "\r\n\r\n", 431, "header_fields_too_large"),
            ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{1}b\r\n\r\n", 400, "bad_request"),
            ("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method_not_implemented"),
            ("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 405, "method_not_allowed"),
        ]
        for (request, status, code) in cases {
            let connection = try HTTPConnection(port: server.port)
            try? connection.sendRaw(request)  // the server may answer and close before the whole head is sent
            let answer = try connection.readResponse()
            #expect(answer.status == status && Self.code(answer) == code, "\(request.prefix(40)): \(answer.status) \(answer.body)")
            #expect(answer.headers["content-type"] == "application/json")
            #expect(connection.isClosedByServer(), "\(request.prefix(40)) left the connection open")
        }
        // The server is still there.
        #expect(try HTTPConnection(port: server.port).send("GET", "/healthz").status == 200)
    }

    @Test("HTTP/1.0 without keep-alive is answered and closed; with keep-alive it stays open and says so")
    func http10() throws {
        let server = try ServerLimitsLiveTests.server()
        for path in ["/healthz", "/v1/predict?text=hello", "/v1/model"] {
            let plain = try HTTPConnection(port: server.port)
            try plain.sendRaw("GET \(path) HTTP/1.0\r\n\r\n")
            let text = plain.readToClose()
            #expect(text.hasPrefix("HTTP/1.1 200 ") && text.lowercased().contains("connection: close"), "\(path): \(text.prefix(200))")
        }
        let kept = try HTTPConnection(port: server.port)
        for _ in 0..<3 {
            try kept.sendRaw("GET /v1/predict?text=hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let answer = try kept.readResponse()
            #expect(answer.status == 200 && answer.headers["connection"]?.lowercased() == "keep-alive", "\(answer.headers)")
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent; a body over the cap gets 413 and no invitation")
    func expectContinue() throws {
        let server = try ServerLimitsLiveTests.server()
        let body = #"{"text": "book a table for two"}"#
        let connection = try HTTPConnection(port: server.port)
        try connection.sendRaw("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
        #expect(connection.isReadable(within: 2), "no interim answer within 2 s")
        let interim = try connection.readResponse()
        #expect(interim.status == 100)
        try connection.sendRaw(body)
        let answer = try connection.readResponse()
        #expect(answer.status == 200, "\(answer.body)")

        let large = try HTTPConnection(port: server.port)
        try large.sendRaw("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          + "Content-Length: \(9 << 20)\r\nExpect: 100-continue\r\n\r\n")
        let refused = try large.readResponse()
        #expect(refused.status == 413 && Self.code(refused) == "payload_too_large", "\(refused.status) \(refused.body)")
        #expect(large.isClosedByServer())
    }
}
