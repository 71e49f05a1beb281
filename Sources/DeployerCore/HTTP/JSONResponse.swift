import Foundation
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
        struct Body: Encodable {
            struct Detail: Encodable { var code: String; var message: String }
            var error: Detail
        }
        let data = (try? encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns thrown errors (unknown routes, framework errors) into the JSON error shape; an unexpected error
/// is a 500 with no internals in the body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            let code = error.status == .notFound ? "not_found" : "http_\(error.status.code)"
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : error.status.reasonPhrase
            return JSONResponse.error(error.status, code: code, message: message)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return JSONResponse.error(.internalServerError, code: "internal", message: "internal error; see the deployer's log")
        }
    }
}
