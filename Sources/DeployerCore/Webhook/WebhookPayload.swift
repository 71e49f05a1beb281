import Foundation

/// The few payload fields the receiver reads, across GitHub, Gitea/Forgejo and GitLab; everything else
/// in the body is ignored. Decoded only after the signature was verified.
struct WebhookPayload: Decodable {
    struct Repository: Decodable {
        var fullName: String?
        enum CodingKeys: String, CodingKey { case fullName = "full_name" }
    }

    struct Project: Decodable {
        var pathWithNamespace: String?
        enum CodingKeys: String, CodingKey { case pathWithNamespace = "path_with_namespace" }
    }

    /// Who pushed (GitHub, Gitea, Forgejo: `sender.login`), read leniently: it only goes to the history.
    struct Sender: Decodable {
        var login: String?
        init(from decoder: Decoder) throws {
            login = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .login)
        }
        enum CodingKeys: String, CodingKey { case login }
    }

    var ref: String?
    var refType: String?
    var created: Bool?
    var deleted: Bool?
    var before: String?
    var after: String?
    /// Gitea's `create` event names the commit here.
    var sha: String?
    /// GitLab: the commit a tag points to (null when the tag was deleted).
    var checkoutSHA: String?
    var objectKind: String?
    var repository: Repository?
    var project: Project?
    var sender: Sender?
    /// GitLab's pusher.
    var userUsername: String?

    enum CodingKeys: String, CodingKey {
        case ref, created, deleted, before, after, sha, repository, project, sender
        case refType = "ref_type", checkoutSHA = "checkout_sha", objectKind = "object_kind", userUsername = "user_username"
    }

    /// The pusher's login when it is a plausible one (1-100 printable ASCII characters), else nil.
    var senderLogin: String? {
        guard let login = sender?.login ?? userUsername, (1...100).contains(login.utf8.count),
              login.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return login
    }

    /// Decodes `body`, naming the field that is wrong.
    static func decode(_ body: [UInt8]) throws -> WebhookPayload {
        guard !body.isEmpty else { throw WebhookError.invalidJSON(reason: "the body is empty") }
        do {
            return try JSONDecoder().decode(WebhookPayload.self, from: Data(body))
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context) where context.codingPath.isEmpty:
                throw WebhookError.invalidJSON(reason: "it does not parse (truncated, or not JSON)")
            case .typeMismatch(_, let context) where context.codingPath.isEmpty:
                throw WebhookError.invalidJSON(reason: "the top level is not an object")
            default:
                throw WebhookError.invalidField(name: error.fieldPath, reason: error.reason)
            }
        }
    }

    /// The repository's `owner/name` (GitHub, Gitea, Forgejo: `repository.full_name`; GitLab:
    /// `project.path_with_namespace`).
    var repositoryName: String? {
        repository?.fullName ?? project?.pathWithNamespace
    }

    /// Whether a SHA is git's "no object" (all zeros), as sent for created or deleted refs.
    static func isNull(_ sha: String?) -> Bool {
        guard let sha, !sha.isEmpty else { return false }
        return sha.allSatisfy { $0 == "0" }
    }
}
