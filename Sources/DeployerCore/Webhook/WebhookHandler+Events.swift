/// Which verified events become releases.
extension WebhookHandler {
    /// The decision for a verified, parsed delivery.
    func filter(_ payload: WebhookPayload, provider: WebhookProvider, event: String, deliveryID: String) throws -> WebhookDecision {
        let kind = event.lowercased()
        if kind == "ping" { return .pong }
        let tag: String
        var commit: String?
        switch (provider, kind) {
        case (.gitlab, _):
            guard kind == "tag push hook" || payload.objectKind == "tag_push" else { return .ignored(reason: "event '\(event)' is not a tag push") }
            guard let ref = payload.ref, ref.hasPrefix("refs/tags/") else { return .ignored(reason: "not a tag") }
            if payload.checkoutSHA == nil || WebhookPayload.isNull(payload.after) { return .ignored(reason: "the tag was deleted") }
            tag = String(ref.dropFirst("refs/tags/".count))
            commit = payload.checkoutSHA
        case (_, "push"):
            guard let ref = payload.ref else { throw WebhookError.invalidField(name: "ref", reason: "is missing") }
            guard ref.hasPrefix("refs/tags/") else { return .ignored(reason: "not a tag: \(ref.hasPrefix("refs/heads/") ? "a branch push" : "another ref")") }
            if payload.deleted ?? WebhookPayload.isNull(payload.after) { return .ignored(reason: "the tag was deleted") }
            // A push that moves an existing tag is not a new release (and the pipeline would refuse it).
            guard payload.created ?? WebhookPayload.isNull(payload.before) else { return .ignored(reason: "an existing tag was updated, not created") }
            tag = String(ref.dropFirst("refs/tags/".count))
            commit = payload.after
        case (_, "create"):
            guard payload.refType == "tag" else { return .ignored(reason: "a \(payload.refType ?? "ref") was created, not a tag") }
            guard let ref = payload.ref else { throw WebhookError.invalidField(name: "ref", reason: "is missing") }
            tag = ref.hasPrefix("refs/tags/") ? String(ref.dropFirst("refs/tags/".count)) : ref
            commit = payload.sha
        default:
            return .ignored(reason: "event '\(event)' is not a tag push")
        }
        guard let fullName = payload.repositoryName else {
            throw WebhookError.invalidField(name: provider == .gitlab ? "project.path_with_namespace" : "repository.full_name", reason: "is missing")
        }
        guard let repository = policy.allowedRepository(fullName) else { return .ignored(reason: "repository is not configured") }
        guard WebhookPolicy.isSafeRefName(tag) else { throw WebhookError.unsafeTag }
        guard policy.matches(tag: tag) else { return .ignored(reason: "tag does not match the release pattern") }
        if let sha = commit {
            guard Self.isObjectName(sha) else { throw WebhookError.invalidField(name: provider == .gitlab ? "checkout_sha" : "after", reason: "is not a 40 or 64 digit object id") }
            commit = sha.lowercased()
        }
        return .accepted(ReleaseRequest(provider: provider, deliveryID: deliveryID, repository: repository, tag: tag, commit: commit, event: event,
                                        sender: payload.senderLogin))
    }

    /// A git object id: 40 (SHA-1) or 64 (SHA-256) hex digits, not all zeros.
    static func isObjectName(_ sha: String) -> Bool {
        (sha.utf8.count == 40 || sha.utf8.count == 64) && sha.utf8.allSatisfy { $0.isHexDigit } && !WebhookPayload.isNull(sha)
    }
}

private extension UInt8 {
    var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
