import Foundation
import HTTPServing
import Hummingbird
import NIOCore

/// Why a request was refused: an HTTP status, a stable code and a message a client can act on.
struct APIError: HTTPErrorResponse, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Seconds after which the same request may succeed (`Retry-After`, with 503).
    var retryAfterSeconds: Int?
    /// Whether the connection closes after this answer: the rest of the request's body was not read.
    var closesConnection = false

    init(status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int? = nil, closesConnection: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.closesConnection = closesConnection
    }

    var description: String { "\(code): \(message)" }

    static func invalidJSON(_ reason: String) -> APIError { APIError(status: .badRequest, code: "invalid_json", message: reason) }
    static func invalidField(_ field: String, _ reason: String) -> APIError {
        APIError(status: .unprocessableContent, code: "invalid_field", message: "field '\(field)' \(reason)")
    }
    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "the body is larger than \(limit) bytes; send fewer texts per request",
                 closesConnection: true)
    }
    /// A budget of bytes in flight is spent: the same request succeeds once others finish.
    static func overloaded(_ what: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "overloaded",
                 message: "the server holds as many \(what) as it may now; retry in \(APILimits.retryAfterSeconds) s",
                 retryAfterSeconds: APILimits.retryAfterSeconds, closesConnection: true)
    }

    /// The JSON error body `{"error": {"code", "message"}}`.
    var response: Response {
        var headers: HTTPFields = [:]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if closesConnection { headers[.connection] = "close" }
        return JSONErrorBody.response(status, code: code, message: message, headers: headers)
    }
}
