import Foundation
import HTTPServing
import Hummingbird
import NIOCore

/// Why a request was refused: an HTTP status, a stable code and a message a client can act on.
struct APIError: Error, Sendable, CustomStringConvertible {
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
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if closesConnection { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONErrorBody.bytes(code: code, message: message))))
    }
}

/// Maps everything thrown below it to the JSON error shape: `APIError` as is, the framework's own
/// errors (unknown route, body too large) by their status, anything else as a 500 without internals.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    /// The configured body cap, named in the 413 a streamed body gets.
    let maxBodyBytes: Int
    /// Methods by path: a known path asked with another method is a 405 rather than a 404.
    let allowed: [String: String]

    init(maxBodyBytes: Int, routes: [(path: String, methods: [HTTPRequest.Method])]) {
        self.maxBodyBytes = maxBodyBytes
        // HEAD is answered wherever GET is (HeadMiddleware).
        allowed = Dictionary(routes.map { route in
            (route.path, (route.methods + (route.methods.contains(.get) ? [.head] : [])).map(\.rawValue).joined(separator: ", "))
        }, uniquingKeysWith: { $1 })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPResponseError {
            switch error.status {
            case .notFound:
                if let methods = allowed[request.uri.path] {
                    var response = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                                            message: "\(request.method) is not allowed on \(request.uri.path); use \(methods)").response
                    response.headers[.allow] = methods
                    return response
                }
                return APIError(status: .notFound, code: "not_found", message: "no route \(request.method) \(request.uri.path)").response
            case .contentTooLarge: return APIError.payloadTooLarge(limit: maxBodyBytes).response
            default: return APIError(status: error.status, code: "http_\(error.status.code)", message: error.status.reasonPhrase).response
            }
        } catch {
            // A client that went away half-way through its upload is not the server's error: nothing to act on.
            if Self.isDisconnection(error) {
                context.logger.debug("client went away", metadata: ["error": "\(error)", "intent.request_id": "\(context.requestID)"])
                return APIError(status: .badRequest, code: "incomplete_request", message: "the connection closed before the request was whole",
                                closesConnection: true).response
            }
            context.logger.error("request failed", metadata: ["error": "\(error)", "intent.request_id": "\(context.requestID)"])
            return APIError(status: .internalServerError, code: "internal", message: "internal error; see the server log").response
        }
    }
}

extension APIErrorMiddleware {
    /// Whether `error` says the connection ended under the request (reset, closed, cancelled), rather than
    /// that the server failed.
    static func isDisconnection(_ error: any Error) -> Bool {
        if error is CancellationError || error is ChannelError || error is IOError { return true }
        if let error = error as? NIOAsyncWriterError, error == .alreadyFinished() { return true }
        return false
    }
}
