import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Gives every request an id: the caller's `X-Request-ID` when it is a sensible one (1 to 128 printable
/// ASCII characters, so it is safe in logs and headers), else a new random one. The id is returned in the
/// response's `X-Request-ID` and kept in the request context (`intent.request_id` in the log lines that concern the request).
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static var headerName: HTTPField.Name { .requestID }


    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.id(offered: request.headers[Self.headerName])
        var context = context
        // Kept in the context, not set as logger metadata: setting metadata rebuilds the handler's
        // metadata on every request (4% of a prediction's server time, perf); what logs adds it.
        context.requestID = id
        var response = try await next(request, context)
        response.headers[Self.headerName] = id
        return response
    }

    /// The request's id: `offered` (the header's value, repeated fields joined with ", ") when it is
    /// acceptable, else a new one.
    static func id(offered: String?) -> String {
        offered.flatMap { isAcceptable($0) ? $0 : nil } ?? generate()
    }

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A random 64-bit prefix drawn once per process, then a counter scrambled by a bijection: unique
    /// within the process by construction and across replicas with overwhelming odds, with no
    /// `getrandom` system call per request (two of them cost 2% of a prediction's server time, perf).
    private static let processPrefix: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let counter = Atomic<UInt64>(0)

    /// 32 hex digits: the process prefix, then the scrambled sequence number, written straight into the
    /// string's storage.
    static func generate() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        let high = processPrefix, low = scramble(sequence)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for nibble in 0..<16 {
                let shift = UInt64(60 - nibble * 4)
                buffer[nibble] = hexDigits[Int((high >> shift) & 0xF)]
                buffer[16 + nibble] = hexDigits[Int((low >> shift) & 0xF)]
            }
            return 32
        }
    }

    /// SplitMix64's finaliser: a bijection of 64-bit values, so distinct sequence numbers stay distinct
    /// while neighbouring ids look unrelated.
    static func scramble(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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
