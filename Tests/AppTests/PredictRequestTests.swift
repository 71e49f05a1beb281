import Testing
@testable import App

@Suite("POST /v1/predict body reader")
struct PredictRequestTests {
    static func parse(_ json: String) throws(APIError) -> PredictRequest {
        try parse(bytes: Array(json.utf8))
    }

    static func parse(bytes: [UInt8]) throws(APIError) -> PredictRequest {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(APIError) in try PredictRequest.parse(buffer) } }
        return try result.get()
    }

    @Test("reads every field, decodes escapes and surrogate pairs, ignores unknown fields")
    func reads() throws {
        let request = try Self.parse(#" { "unknown": {"a": [1, -2.5e-3, true, false, null, "x\"y"]}, "text" : "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t", "top_k": 3.0, "explain": true } "#)
        #expect(request == PredictRequest(text: "café 😀 \"q\" \\ / \n\t", texts: nil, topK: 3, explain: true))
        let batch = try Self.parse(#"{"texts": ["a", "б", "中文"], "texts": ["last", "wins"]}"#)
        #expect(batch.texts == ["last", "wins"] && batch.text == nil && batch.topK == nil)
        #expect(try Self.parse(#"{"text": "x", "top_k": 1e2}"#).topK == 100)
        #expect(try Self.parse(#"{"text": "x", "top_k": -1}"#).topK == -1)
        #expect(try Self.parse(#"{"text": "x", "top_k": 99999999999999999999999}"#).topK == Int.max)
        #expect(try Self.parse("{}") == PredictRequest())
    }

    @Test("refuses malformed JSON, invalid UTF-8 and wrong types, naming the field or the byte", arguments: [
        (#"{"text": "a""#, "ends"),
        (#"{"text": "a",}"#, "quoted key"),
        (#"{"text" "a"}"#, "':'"),
        (#"{"text": 'a'}"#, "expected a value at byte 9"),
        (#"{"text": true}"#, "field 'text' has the wrong type"),
        (#"{"text": "a\x"}"#, "invalid escape"),
        (#"{"text": "a\u12"}"#, "four hex digits"),
        (#"{"text": "\udc00"}"#, "surrogate"),
        (#"{"text": "\ud800\u0041"}"#, "surrogate"),
        ("{\"text\": \"a\tb\"}", "control character"),
        (#"{"texts": ["a", 1]}"#, "texts[1]"),
        (#"{"texts": "a"}"#, "array of strings"),
        (#"{"top_k": "1"}"#, "whole number"),
        (#"{"top_k": 1.5}"#, "whole number"),
        (#"{"top_k": 01}"#, "expected ',' or '}'"),
        (#"{"explain": 1}"#, "true or false"),
        (#"{"text": nul}"#, "expected 'null'"),
        (#"{"x": -}"#, "invalid number"),
        (#"{"x": 1.}"#, "invalid number"),
        (#"[]"#, "JSON object"),
        ("", "empty"),
        (#"{"a":1} 2"#, "after the JSON object"),
    ])
    func refuses(json: String, fragment: String) {
        do {
            _ = try Self.parse(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.status == .badRequest && error.code == "invalid_json")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test("invalid UTF-8 inside a string is refused with its position")
    func invalidUTF8() {
        var bytes = Array(#"{"text": "ab"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}"#.utf8)
        do {
            _ = try Self.parse(bytes: bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.message.contains("not valid UTF-8") && error.message.contains("byte 10"), "\(error.message)")
        }
    }

    @Test("nesting in an unknown field is bounded")
    func depth() {
        let deep = #"{"x": "# + String(repeating: "[", count: JSONBodyReader.maxDepth + 1) + String(repeating: "]", count: JSONBodyReader.maxDepth + 1) + "}"
        #expect(throws: APIError.self) { try Self.parse(deep) }
        let fine = #"{"x": "# + String(repeating: "[", count: JSONBodyReader.maxDepth - 1) + String(repeating: "]", count: JSONBodyReader.maxDepth - 1) + "}"
        #expect(throws: Never.self) { try Self.parse(fine) }
    }
}
