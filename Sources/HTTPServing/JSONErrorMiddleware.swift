import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// An error that knows the response it should get (the servers' own refusals, with their codes).
public protocol HTTPErrorResponse: Error {
    var response: Response { get }
}

extension JSONErrorBody {
    /// A response with the JSON error shape; `headers` add to the content type.
    public static func response(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes(code: code, message: message))))
    }
}

extension BearerToken {
    /// The 401 of an admin route asked without the token, or with a wrong one (`WWW-Authenticate: Bearer`).
    public static func challenge() -> Response {
        JSONErrorBody.response(.unauthorized, code: "unauthorized", message: "send Authorization: Bearer <the admin token>",
                               headers: [.wwwAuthenticate: "Bearer"])
    }
}

/// Maps everything thrown below it to the JSON error shape, for both servers: an `HTTPErrorResponse` as
/// it says; the framework's own errors by their status (an unknown path is a 404, a known path asked with
/// another method a 405 with `Allow`, a body over the cap a 413 naming it); a client that went away half-way
/// through its request a 400 that closes the connection; anything else a 500 without internals, logged.
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The answer to a body over the framework's cap (naming the server's limit); nil for a plain 413.
    let tooLarge: (any HTTPErrorResponse & Sendable)?
    /// Methods by path: a known path asked with another method is a 405 rather than a 404.
    let allowed: [String: String]
    /// Where the 500's message sends the operator ("the server log").
    let logName: String
    /// Metadata of the request for the log line of a 500 (a request id).
    let metadata: @Sendable (Context) -> Logger.Metadata

    /// `routes`: the served paths and their methods (HEAD is added wherever GET is: `HeadMiddleware`).
    public init(tooLarge: (any HTTPErrorResponse & Sendable)? = nil, routes: [(path: String, methods: [HTTPRequest.Method])] = [], logName: String = "the server log",
                metadata: @escaping @Sendable (Context) -> Logger.Metadata = { _ in [:] }) {
        self.tooLarge = tooLarge
        self.logName = logName
        self.metadata = metadata
        allowed = Dictionary(routes.map { route in
            (route.path, (route.methods + (route.methods.contains(.get) ? [.head] : [])).map(\.rawValue).joined(separator: ", "))
        }, uniquingKeysWith: { $1 })
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPErrorResponse {
            return error.response
        } catch let error as HTTPResponseError {
            switch error.status {
            case .notFound:
                if let methods = allowed[request.uri.path] {
                    return JSONErrorBody.response(.methodNotAllowed, code: "method_not_allowed",
                                                  message: "\(request.method) is not allowed on \(request.uri.path); use \(methods)",
                                                  headers: [.allow: methods])
                }
                return JSONErrorBody.response(.notFound, code: "not_found", message: "no route \(request.method) \(request.uri.path)")
            case .contentTooLarge:
                return tooLarge?.response
                    ?? JSONErrorBody.response(.contentTooLarge, code: "payload_too_large", message: "the body is too large", headers: [.connection: "close"])
            default:
                return JSONErrorBody.response(error.status, code: "http_\(error.status.code)", message: error.status.reasonPhrase)
            }
        } catch {
            // A client that went away half-way through its upload is not the server's error: nothing to act on.
            var metadata = metadata(context)
            metadata["error"] = "\(error)"
            if Self.isDisconnection(error) {
                context.logger.debug("client went away", metadata: metadata)
                return JSONErrorBody.response(.badRequest, code: "incomplete_request", message: "the connection closed before the request was whole",
                                              headers: [.connection: "close"])
            }
            context.logger.error("request failed", metadata: metadata)
            return JSONErrorBody.response(.internalServerError, code: "internal", message: "internal error; see \(logName)")
        }
    }

    /// Whether `error` says the connection ended under the request (reset, closed, cancelled), rather than
    /// that the server failed.
    public static func isDisconnection(_ error: any Error) -> Bool {
        if error is CancellationError || error is ChannelError || error is IOError { return true }
        if let error = error as? NIOAsyncWriterError, error == .alreadyFinished() { return true }
        return false
    }
}
