import Foundation

/// The body of `POST /v1/predict`: `{"text": "..."}` or `{"texts": [...]}`, with optional `top_k` and
/// `explain`. Unknown fields are ignored (so clients can send newer fields to older servers); `null` is
/// not a string, a number or a boolean (so the server accepts exactly what its OpenAPI schema does);
/// when a key is repeated the last one wins.
struct PredictRequest: Equatable, Sendable {
    var text: String?
    var texts: [String]?
    var topK: Int?
    var explain: Bool?

    /// Reads the body straight from its bytes.
    ///
    /// A hand-written reader for this one shape rather than `JSONDecoder`, which goes through `Data`, a
    /// tokenised tree and `Codable` containers: perf put `JSONDecoder` at 6% of the server's CPU under
    /// load, against 22% for the whole predict handler. Syntax errors, invalid UTF-8 and wrong types are
    /// `invalid_json` (400), each naming the field or the byte offset.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(APIError) -> PredictRequest {
        // A UTF-8 byte order mark before the JSON is ignored, as RFC 8259 allows (Windows tools write one).
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = bytes.starts(with: bom) ? 3 : 0
        var reader = JSONBodyReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...]))
        var request = PredictRequest()
        reader.skipWhitespace()
        guard reader.peek() == UInt8(ascii: "{") else {
            throw APIError.invalidJSON(reader.atEnd ? "the body is empty: send a JSON object such as {\"text\": \"...\"}"
                                                    : "the body must be a JSON object such as {\"text\": \"...\"}")
        }
        try reader.readObject { key, reader throws(APIError) in
            switch key {
            case "text": request.text = try reader.readString(field: key)
            case "texts": request.texts = try reader.readStringArray(field: key)
            case "top_k": request.topK = try reader.readInteger(field: key)
            case "explain": request.explain = try reader.readBool(field: key)
            default: try reader.skipValue(depth: 0)
            }
        }
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.syntaxError("unexpected content after the JSON object") }
        return request
    }
}
