import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-ID` when it is a sensible one (1 to 128 printable
/// ASCII characters, so it is safe in logs and headers), else a new random one. The id is returned in the
/// response's `X-Request-ID` and carried in the request's log metadata (`intent.request_id`).
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static var headerName: HTTPField.Name { .requestID }


    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let offered = request.headers[Self.headerName]
        let id = offered.flatMap { Self.isAcceptable($0) ? $0 : nil } ?? Self.generate()
        var context = context
        context.logger[metadataKey: "intent.request_id"] = .string(id)
        context.requestID = id
        var response = try await next(request, context)
        response.headers[Self.headerName] = id
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// 128 random bits as 32 hex digits.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return [generator.next(), generator.next()].map { (value: UInt64) -> String in
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`, built once: a field name is validated when it is made, and the middleware needs it
    /// on every request.
    static let requestID: HTTPField.Name = {
        guard let name = HTTPField.Name("X-Request-ID") else { preconditionFailure("X-Request-ID is a valid field name") }
        return name
    }()
}

/// The API's request context: Hummingbird's core storage plus the request id, which the request log
/// keeps with each prediction.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `RequestIDMiddleware` before any handler runs.
    var requestID = ""

    init(source: Source) {
        coreContext = .init(source: source)
    }
}
