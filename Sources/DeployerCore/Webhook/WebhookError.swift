/// Why a webhook request was refused; each case maps to an HTTP status and a stable error code.
///
/// Messages tell the sender what to fix, and never echo a signature, a token or a secret.
public enum WebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    case methodNotAllowed(method: String)
    case payloadTooLarge(limit: Int)
    case requestTimeout
    case unknownProvider
    case ambiguousHeader(name: String)
    case missingSignature(header: String)
    case malformedSignature(header: String, reason: String)
    case badSignature
    case unsupportedMediaType(String)
    case missingDeliveryID(header: String)
    case invalidDeliveryID(header: String)
    case invalidJSON(reason: String)
    case invalidField(name: String, reason: String)
    case unsafeTag

    /// The HTTP status the receiver answers with.
    public var status: Int {
        switch self {
        case .methodNotAllowed: return 405
        case .payloadTooLarge: return 413
        case .requestTimeout: return 408
        case .missingSignature, .malformedSignature, .badSignature: return 401
        case .unsupportedMediaType: return 415
        case .invalidField, .unsafeTag: return 422
        case .unknownProvider, .ambiguousHeader, .missingDeliveryID, .invalidDeliveryID, .invalidJSON: return 400
        }
    }

    /// A stable machine-readable code for the JSON error body and the metrics.
    public var code: String {
        switch self {
        case .methodNotAllowed: return "method_not_allowed"
        case .payloadTooLarge: return "payload_too_large"
        case .requestTimeout: return "request_timeout"
        case .unknownProvider: return "unknown_provider"
        case .ambiguousHeader: return "ambiguous_header"
        case .missingSignature: return "missing_signature"
        case .malformedSignature: return "malformed_signature"
        case .badSignature: return "bad_signature"
        case .unsupportedMediaType: return "unsupported_media_type"
        case .missingDeliveryID: return "missing_delivery_id"
        case .invalidDeliveryID: return "invalid_delivery_id"
        case .invalidJSON: return "invalid_json"
        case .invalidField: return "invalid_field"
        case .unsafeTag: return "unsafe_tag"
        }
    }

    public var description: String {
        switch self {
        case .methodNotAllowed(let method):
            return "\(method) is not allowed on /webhook: deliveries are POST requests"
        case .payloadTooLarge(let limit):
            return "the body is larger than \(limit) bytes; a tag push is a few KiB (raise max_body_bytes if this is real)"
        case .requestTimeout:
            return "the body took longer than the read timeout to arrive (read_timeout_seconds)"
        case .unknownProvider:
            return "no X-GitHub-Event, X-Gitea-Event, X-Forgejo-Event or X-Gitlab-Event header: this is not a webhook delivery"
        case .ambiguousHeader(let name):
            return "header \(name) appears more than once; send it exactly once"
        case .missingSignature(let header):
            return "header \(header) is missing: configure the webhook with the shared secret"
        case let .malformedSignature(header, reason):
            return "header \(header) \(reason)"
        case .badSignature:
            return "the signature does not match the body for any configured secret"
        case .unsupportedMediaType(let type):
            return "content type '\(type)' is not accepted: configure the webhook to send application/json"
        case .missingDeliveryID(let header):
            return "header \(header) is missing: the delivery id is needed to ignore redeliveries"
        case .invalidDeliveryID(let header):
            return "header \(header) must be 1 to 128 printable ASCII characters"
        case .invalidJSON(let reason):
            return "the body is not a JSON object: \(reason)"
        case let .invalidField(name, reason):
            return "field '\(name)' \(reason)"
        case .unsafeTag:
            return "the tag name is not a safe git ref name (control characters, spaces, '..', a leading '-' or one of ~^:?*[\\); it is never released"
        }
    }
}
