import Foundation
import HTTPServing

/// The HTTP API's settings: flags > environment (`HOST`, `PORT`, the Cloud Run convention) > defaults
/// (`load(environment:overrides:)`).
struct APIConfiguration: Sendable, Equatable {
    /// The model bundle's directory (`--model`), loaded through the model source at start and on reload.
    var modelPath = APIConfiguration.defaultModelPath
    /// The bearer token's file for `POST /admin/reload` (`--admin-token-file`); admin routes are off without it.
    var adminTokenFile: String?
    var host = "127.0.0.1"
    var port = 8080
    /// Largest request body: a full batch of the longest texts fits with room for JSON escaping.
    var maxBodyBytes = APILimits.maxBodyBytes
    /// Longest text accepted, in Unicode scalars (JSON Schema's `maxLength` counts the same way).
    var maxTextCharacters = APILimits.maxTextCharacters
    /// Most texts in one batch request.
    var maxBatch = APILimits.maxBatch
    /// The request log's SQLite file (`INTENT_REQUEST_LOG`); `none` turns the log off.
    var requestLogPath = "intent-requests.sqlite"
    /// What the request log keeps of each text, how many rows and for how long.
    var requestLogText: RequestLogTextPolicy = .full
    var requestLogMaxRows = RequestLog.Settings.defaultMaxRows
    var requestLogMaxAgeSeconds = RequestLog.Settings.defaultMaxAgeDays * 86_400
    /// Connection cap and read deadlines (`--idle-timeout`, `--max-connections`, ...).
    var limits = ServerLimits()
    /// Request bodies being read, all requests together (`--max-body-bytes-in-flight`).
    var maxBodyBytesInFlight = APILimits.maxBodyBytesInFlight
    /// Answers being built, all requests together (`--max-response-bytes-in-flight`).
    var maxResponseBytesInFlight = APILimits.maxResponseBytesInFlight
    /// Swagger UI's files for `/docs` (`--docs-assets`), when installed.
    var docsAssets: SwaggerUIAssets?

    static let defaultModelPath = "models/default"

    /// Reads `HOST` and `PORT`; a malformed `PORT` is an error naming it.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> APIConfiguration {
        var configuration = APIConfiguration()
        if let host = environment["HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["PORT"] {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw APIConfigurationError.invalidPort(port, source: "PORT")
            }
            configuration.port = value
        }
        if let path = environment["INTENT_REQUEST_LOG"], !path.isEmpty { configuration.requestLogPath = path }
        return configuration
    }
}

/// The API's fixed limits, each with the reason for its value.
enum APILimits {
    /// Longest text, in Unicode scalars: intents are short utterances; 5,000 characters is far past any
    /// chat message and bounds the work one request can cause.
    static let maxTextCharacters = 5_000
    /// Most texts per batch request: enough to amortise HTTP overhead, small enough that one request
    /// never holds a core for long.
    static let maxBatch = 256
    /// Largest body: a full batch of maximal texts fits even when every character is written as a
    /// six-byte `\uXXXX` escape (256 x 5,000 x 6 = 7.7 MB), so a request valid by the OpenAPI schema is
    /// never refused for its size.
    static let maxBodyBytes = 8 << 20
    /// Features listed in an explanation (tokens are always all listed): the strongest carry the story.
    static let maxExplainedFeatures = 20
    /// Most alternatives asked for; a model with fewer classes answers all of them.
    static let maxTopK = 100
    /// Request bodies held at once: four of the largest (8 MiB); more wait with 503 and `Retry-After`,
    /// so that many large uploads at once cannot take the server past its 256 MiB pod limit (32 bodies of
    /// 8 MiB took it to 291 MB).
    static let maxBodyBytesInFlight = 32 << 20
    /// Answers being built at once, counted twice (the growing buffer and its copy into the response):
    /// an explained batch can be ten times its request (a 3.84 MB batch answered 49 MB); past it, 503.
    static let maxResponseBytesInFlight = 32 << 20
    /// Largest answer to one request: beyond it the request is refused (422), since no retry can help;
    /// it is half the in-flight budget, so one such answer always fits.
    static let maxResponseBytes = 8 << 20
    /// Answers smaller than this are not counted against the budget: one sentence answers a few hundred
    /// bytes, and every open connection's small answer together stays far below the budget.
    static let unbudgetedResponseBytes = 64 << 10
    /// `Retry-After` of a 503 for a full budget: bodies and answers in flight take well under a second.
    static let retryAfterSeconds = 1
}

/// A setting the API refuses to start with.
enum APIConfigurationError: Error, CustomStringConvertible {
    case invalidPort(String, source: String)
    /// A flag's value out of its range, or files it names that cannot be used: the whole message.
    case invalid(String)

    var description: String {
        switch self {
        case let .invalidPort(value, source):
            return "\(source) is '\(value)': it must be a port number in 1...65535"
        case let .invalid(message):
            return message
        }
    }
}
