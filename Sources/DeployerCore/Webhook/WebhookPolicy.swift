import Foundation

/// What the receiver accepts: the secrets, the repositories, the tag pattern and the body cap.
///
/// Built once from the configuration; immutable and shared by every request.
public struct WebhookPolicy: Sendable {
    /// Every accepted secret (several at once while one is being rotated).
    public let secrets: [[UInt8]]
    /// Allowed `owner/name` repositories, as configured.
    public let repositories: [String]
    /// The largest body accepted.
    public let maxBodyBytes: Int
    private let tagPattern: TagPattern

    /// A policy; throws `ConfigurationError` for an empty secret list, an empty secret or a bad pattern.
    public init(secrets: [[UInt8]], repositories: [String], tagPattern: String, maxBodyBytes: Int = Limits.defaultMaxBodyBytes) throws {
        guard !secrets.isEmpty, secrets.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError.invalid(path: "configuration", field: "secret_files", reason: "holds no usable secret: the deployer never runs unauthenticated")
        }
        self.secrets = secrets
        self.repositories = repositories
        self.maxBodyBytes = maxBodyBytes
        self.tagPattern = try TagPattern(tagPattern)
    }

    /// The policy of a loaded configuration.
    public init(configuration: DeployerConfiguration) throws {
        try self.init(secrets: configuration.secrets, repositories: configuration.repositories,
                      tagPattern: configuration.tagPattern, maxBodyBytes: configuration.maxBodyBytes)
    }

    /// The configured spelling of `fullName` when it is allowed (GitHub names are case-insensitive).
    func allowedRepository(_ fullName: String) -> String? {
        repositories.first { $0.caseInsensitiveCompare(fullName) == .orderedSame }
    }

    /// Whether the whole of `tag` matches the configured pattern.
    public func matches(tag: String) -> Bool {
        tagPattern.matches(tag)
    }

    /// Whether `tag` is a name git itself would accept for a tag, and harmless as one argv element: printable
    /// ASCII, no spaces, none of `~^:?*[\`, no `..` or `@{`, no leading `-` or `.`, no
    /// trailing `.`, `/` or `.lock`. Checked whatever the configured pattern allows.
    public static func isSafeRefName(_ tag: String) -> Bool {
        guard !tag.isEmpty, tag.utf8.count <= Limits.maxTagBytes, !tag.hasPrefix("-"), !tag.hasPrefix("."), !tag.hasPrefix("/"),
              !tag.hasSuffix("."), !tag.hasSuffix("/"), !tag.hasSuffix(".lock"),
              !tag.contains(".."), !tag.contains("@{"), !tag.contains("//"), tag != "@" else { return false }
        // Printable ASCII only: git allows more, but a release tag needs no other script, and look-alike
        // digits or letters (`v١.٠.٠`) would pass a pattern a reader takes for ASCII.
        return tag.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && !"~^:?*[\\".unicodeScalars.contains(scalar)
        }
    }
}

/// A compiled tag pattern; `NSRegularExpression` is immutable after creation and safe to share.
private final class TagPattern: @unchecked Sendable {
    let expression: NSRegularExpression

    init(_ pattern: String) throws {
        do { expression = try NSRegularExpression(pattern: pattern) } catch {
            throw ConfigurationError.invalid(path: "configuration", field: "tag_pattern", reason: "is not a valid regular expression")
        }
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, options: [.anchored], range: range) else { return false }
        return match.range == range
    }
}
