import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-ID` when it is a sensible one (1 to 128 printable
/// ASCII characters, so it is safe in logs and headers), else a new random one. The id is returned in the
/// response's `X-Request-ID` and kept in the request context (`intent.request_id` in the log lines that concern the request).
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static var headerName: HTTPField.Name { .requestID }


    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let offered = request.headers[Self.headerName]
        let id = offered.flatMap { Self.isAcceptable($0) ? $0 : nil } ?? Self.generate()
        var context = context
        // Kept in the context, not set as logger metadata: setting metadata rebuilds the handler's
        // metadata on every request (4% of a prediction's server time, perf); what logs adds it.
        context.requestID = id
        var response = try await next(request, context)
        response.headers[Self.headerName] = id
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// 128 random bits as 32 hex digits, written straight into the string's storage.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next(), low: UInt64 = generator.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for nibble in 0..<16 {
                let shift = UInt64(60 - nibble * 4)
                buffer[nibble] = hexDigits[Int((high >> shift) & 0xF)]
                buffer[16 + nibble] = hexDigits[Int((low >> shift) & 0xF)]
            }
            return 32
        }
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
