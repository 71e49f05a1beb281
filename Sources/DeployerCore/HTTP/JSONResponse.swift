import Foundation
import HTTPServing
import Hummingbird
import NIOCore

/// JSON responses, including the error shape `{"error": {"code", "message"}}` used everywhere.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A response with `value` encoded as JSON.
    static func make<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        try encoded(status, value)
    }

    private static func encoded<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A response from a dictionary of strings (cannot fail).
    static func make(_ status: HTTPResponse.Status, _ value: [String: String]) -> Response {
        (try? encoded(status, value)) ?? Response(status: status)
    }

    /// The JSON error shape.
    static func error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        JSONErrorBody.response(status, code: code, message: message)
    }
}
