/// Where a delivery came from; decides which headers carry the event, the delivery id and the signature.
public enum WebhookProvider: String, Codable, Sendable, CaseIterable {
    /// `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256: sha256=<hex>`.
    case github
    /// `X-Gitea-Event`, `X-Gitea-Delivery`, `X-Gitea-Signature: <hex>`.
    case gitea
    /// `X-Forgejo-Event`, `X-Forgejo-Delivery`, `X-Forgejo-Signature: <hex>`.
    case forgejo
    /// `X-Gitlab-Event`, `X-Gitlab-Event-UUID`, `X-Gitlab-Token: <secret>`.
    case gitlab
    /// `deployer deploy TAG`: a release started by an operator, not by a webhook.
    case manual
}

/// A release the receiver accepted: a verified delivery naming an allowed repository and a tag that
/// matches the configured pattern.
///
/// Only these fields leave the webhook layer; nothing else from the payload is ever used (the pipeline
/// fetches from its configured remote and re-resolves the tag itself).
public struct ReleaseRequest: Codable, Sendable, Equatable {
    public var provider: WebhookProvider
    /// The provider's delivery id (a redelivery repeats it).
    public var deliveryID: String
    /// `owner/name`, spelled as in the configuration.
    public var repository: String
    /// The tag name without `refs/tags/`.
    public var tag: String
    /// The object the tag pointed to when pushed (a commit, or the tag object of an annotated tag), when
    /// the event carries it; the pipeline refuses the release if the tag has moved since.
    public var commit: String?
    /// The provider's event name (`push`, `create`, `Tag Push Hook`).
    public var event: String
    /// Who pushed the tag (the forge's login), for the history; never used to decide anything.
    public var sender: String?

    public init(provider: WebhookProvider, deliveryID: String, repository: String, tag: String, commit: String?, event: String,
                sender: String? = nil) {
        self.provider = provider
        self.deliveryID = deliveryID
        self.repository = repository
        self.tag = tag
        self.commit = commit
        self.event = event
        self.sender = sender
    }
}

/// One HTTP request as the webhook layer sees it: nothing parsed yet.
public struct WebhookRequest: Sendable {
    public var method: String
    /// Header fields in arrival order; names compare case-insensitively and may repeat.
    public var headers: [(String, String)] {
        didSet { lowercasedNames = headers.map { $0.0.lowercased() } }
    }
    /// The raw body: the bytes the signature covers.
    public var body: [UInt8]

    public init(method: String, headers: [(String, String)], body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
        lowercasedNames = headers.map { $0.0.lowercased() }
    }

    /// Header names lowercased once (a lookup per header otherwise dominated the handler's profile).
    private var lowercasedNames: [String]

    /// Every value of header `name`.
    func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return zip(lowercasedNames, headers).filter { $0.0 == wanted }.map(\.1.1)
    }
}

/// What the receiver does with a request.
public enum WebhookDecision: Sendable, Equatable {
    /// A verified tag release: record it and answer 202.
    case accepted(ReleaseRequest)
    /// A verified `ping`: answer 200.
    case pong
    /// Verified, but nothing to release (branch push, deleted tag, other repository, tag not matching the
    /// pattern): answer 202 and do nothing.
    case ignored(reason: String)
    /// Refused before anything happened: answer the error's status.
    case rejected(WebhookError)
}
