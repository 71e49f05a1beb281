import Crypto
import Foundation
import HTTPServing

/// Decides what to do with one webhook request, with no side effects: the receiver records only what
/// this returns as `.accepted`.
///
/// Order of work: method; body size; provider (from its event header); delivery id; signature over the
/// raw bytes, compared in constant time against every configured secret; only then the content type and
/// the JSON; then the event filter (ping, tag push or tag create, repository, tag pattern).
public struct WebhookHandler: Sendable {
    public let policy: WebhookPolicy

    public init(policy: WebhookPolicy) {
        self.policy = policy
    }

    /// The decision for `request`.
    public func decide(_ request: WebhookRequest) -> WebhookDecision {
        do {
            guard request.method == "POST" else { throw WebhookError.methodNotAllowed(method: request.method) }
            guard request.body.count <= policy.maxBodyBytes else { throw WebhookError.payloadTooLarge(limit: policy.maxBodyBytes) }
            let provider = try Self.provider(of: request)
            let headers = HeaderNames(provider)
            let event = try single(request, headers.event) ?? ""
            let deliveryID = try deliveryID(of: request, provider: provider)
            try verify(request, provider: provider)
            try checkContentType(request)
            let payload = try WebhookPayload.decode(request.body)
            return try filter(payload, provider: provider, event: event, deliveryID: deliveryID)
        } catch let error as WebhookError {
            return .rejected(error)
        } catch {
            return .rejected(.invalidJSON(reason: "\(error)"))
        }
    }

    /// The hex HMAC-SHA256 of `body` under `secret`: what GitHub sends after `sha256=` and Gitea and
    /// Forgejo send bare.
    public static func signature(body: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Headers

    /// The provider named by the event header; Forgejo and Gitea also send GitHub's headers, so theirs
    /// are looked at first.
    static func provider(of request: WebhookRequest) throws -> WebhookProvider {
        for provider in [WebhookProvider.forgejo, .gitea, .gitlab, .github] where !request.values(HeaderNames(provider).event).isEmpty {
            return provider
        }
        throw WebhookError.unknownProvider
    }

    /// The one value of header `name`, nil when absent; a repeated header is refused, since two
    /// signatures or two delivery ids would leave open which one counted.
    func single(_ request: WebhookRequest, _ name: String) throws -> String? {
        let values = request.values(name)
        guard values.count <= 1 else { throw WebhookError.ambiguousHeader(name: name) }
        return values.first
    }

    func deliveryID(of request: WebhookRequest, provider: WebhookProvider) throws -> String {
        let names = HeaderNames(provider)
        guard let value = try single(request, names.delivery) else {
            // Older GitLab versions send no delivery id: the body's digest stands in, so a redelivery of
            // the same body is still recognised.
            if provider == .gitlab { return "sha256:" + SHA256.hash(data: request.body).map { String(format: "%02x", $0) }.joined() }
            throw WebhookError.missingDeliveryID(header: names.delivery)
        }
        guard (1...Limits.maxDeliveryIDBytes).contains(value.utf8.count),
              value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw WebhookError.invalidDeliveryID(header: names.delivery)
        }
        return value
    }

    /// Verifies the signature (or GitLab's token) in constant time against every configured secret.
    func verify(_ request: WebhookRequest, provider: WebhookProvider) throws {
        let names = HeaderNames(provider)
        guard let header = try single(request, names.signature) else { throw WebhookError.missingSignature(header: names.signature) }
        if provider == .gitlab {
            // Hashing both sides first makes the comparison constant-time and independent of length.
            let token = SHA256.hash(data: Array(header.utf8))
            guard policy.secrets.contains(where: { ConstantTime.equal(Array(SHA256.hash(data: $0)), Array(token)) }) else {
                throw WebhookError.badSignature
            }
            return
        }
        var hex = Substring(header)
        if provider == .github {
            guard header.hasPrefix("sha256=") else {
                throw WebhookError.malformedSignature(header: names.signature, reason: "must be 'sha256=<64 hex digits>' (HMAC-SHA256; SHA-1 signatures are not accepted)")
            }
            hex = hex.dropFirst("sha256=".count)
        }
        guard let mac = Self.bytes(hex: hex), mac.count == SHA256.byteCount else {
            throw WebhookError.malformedSignature(header: names.signature, reason: "must be 64 hex digits (HMAC-SHA256 of the body)")
        }
        let valid = policy.secrets.contains { secret in
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: request.body, using: SymmetricKey(data: secret))
        }
        guard valid else { throw WebhookError.badSignature }
    }

    /// Only JSON bodies are parsed; GitHub's form encoding (`payload=...`) is refused with what to change.
    func checkContentType(_ request: WebhookRequest) throws {
        guard let type = try single(request, "Content-Type") else { return }
        let media = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media == "application/json" else { throw WebhookError.unsupportedMediaType(media) }
    }

    /// Decodes lower- or upper-case hex; nil for anything else.
    static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.utf8.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let value = high { result.append(value << 4 | nibble); high = nil } else { high = nibble }
        }
        return result
    }
}

/// The header names of one provider.
struct HeaderNames {
    let event: String
    let delivery: String
    let signature: String

    init(_ provider: WebhookProvider) {
        switch provider {
        case .github, .manual: (event, delivery, signature) = ("X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256")
        case .gitea: (event, delivery, signature) = ("X-Gitea-Event", "X-Gitea-Delivery", "X-Gitea-Signature")
        case .forgejo: (event, delivery, signature) = ("X-Forgejo-Event", "X-Forgejo-Delivery", "X-Forgejo-Signature")
        case .gitlab: (event, delivery, signature) = ("X-Gitlab-Event", "X-Gitlab-Event-UUID", "X-Gitlab-Token")
        }
    }
}
