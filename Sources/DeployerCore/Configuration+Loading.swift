import Foundation
import HTTPServing

/// Reading and validating the configuration: every problem names its field and what to do.
extension DeployerConfiguration {
    /// Command-line values, which win over the environment and the file.
    public struct Overrides: Sendable {
        public var host: String?
        public var port: Int?

        public init(host: String? = nil, port: Int? = nil) {
            self.host = host
            self.port = port
        }
    }

    /// Loads `path`, applies environment overrides (`DEPLOYER_HOST`, `DEPLOYER_PORT`,
    /// `DEPLOYER_STATE_PATH`) and then the command line's, reads the secret files and validates the result:
    /// flags > environment > file > defaults, checked once, whatever set them.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            overrides: Overrides = Overrides()) throws -> DeployerConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError.unreadable(path: path, reason: error.localizedDescription)
        }
        if let repeated = JSONDuplicateKeys.first(in: [UInt8](data)) {
            throw ConfigurationError.invalid(path: path, field: repeated, reason: "is written twice; keep one")
        }
        var configuration: DeployerConfiguration
        do { configuration = try JSONDecoder().decode(DeployerConfiguration.self, from: data) } catch let error as DecodingError {
            throw ConfigurationError.invalid(path: path, field: error.fieldPath, reason: error.reason)
        }
        if let host = environment["DEPLOYER_HOST"] { configuration.host = host }
        if let port = environment["DEPLOYER_PORT"] {
            guard let value = Int(port) else { throw ConfigurationError.invalid(path: "DEPLOYER_PORT", field: "port", reason: "'\(port)' is not a number") }
            configuration.port = value
        }
        if let state = environment["DEPLOYER_STATE_PATH"] { configuration.statePath = state }
        if let host = overrides.host { configuration.host = host }
        if let port = overrides.port { configuration.port = port }
        try configuration.readSecrets()
        if let file = configuration.adminTokenFile {
            do { configuration.adminToken = try BearerToken(file: file) } catch {
                throw ConfigurationError.invalid(path: path, field: "admin_token_file", reason: "\(error)")
            }
        }
        if let forge = configuration.forge {
            guard let data = FileManager.default.contents(atPath: forge.tokenFile),
                  let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
                throw ConfigurationError.invalid(path: path, field: "forge.token_file", reason: "'\(forge.tokenFile)' cannot be read or is empty")
            }
            guard URL(string: forge.apiURL)?.scheme?.hasPrefix("http") == true else {
                throw ConfigurationError.invalid(path: path, field: "forge.api_url", reason: "'\(forge.apiURL)' is not an http(s) URL")
            }
            configuration.forgeToken = token
        }
        try configuration.validate(path: path)
        return configuration
    }

    /// Reads every secret file; an empty or missing secret refuses to start.
    public mutating func readSecrets() throws {
        secrets = []
        for file in secretFiles {
            // A trailing newline from `echo secret > file` is not part of the secret.
            guard let bytes = SecretFile.read(file) else { throw ConfigurationError.secret(file: file, reason: "cannot be read") }
            guard !bytes.isEmpty else { throw ConfigurationError.secret(file: file, reason: "is empty") }
            guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
                throw ConfigurationError.secret(file: file, reason: "holds only white space")
            }
            guard bytes.count >= Limits.minSecretBytes else {
                throw ConfigurationError.secret(file: file, reason: "holds \(bytes.count) bytes; a webhook secret needs at least \(Limits.minSecretBytes)")
            }
            secrets.append(bytes)
        }
    }

    /// Checks every field; throws the first problem found.
    public func validate(path: String) throws {
        func fail(_ field: String, _ reason: String) -> ConfigurationError { .invalid(path: path, field: field, reason: reason) }
        guard !repositories.isEmpty else { throw fail("repositories", "at least one owner/name is needed") }
        // Every tag is fetched from the one `remote`: with two repositories a tag pushed to the second would
        // deploy the first one's code, and the same tag pushed to both would be released twice.
        guard repositories.count == 1 else {
            throw fail("repositories", "lists \(repositories.count) repositories, but a deployer releases one: every tag is built from "
                       + "the one remote, so a tag of another repository would deploy this one's code. Run one deployer per repository "
                       + "(each with its own port, state_path and work_directory)")
        }
        for (index, repository) in repositories.enumerated() {
            let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
                throw fail("repositories[\(index)]", "'\(repository)' is not owner/name")
            }
        }
        guard !remote.isEmpty, !remote.hasPrefix("-") else { throw fail("remote", "must be a git URL or path (not empty, not starting with '-')") }
        // A path on this machine (not a URL, not scp-like user@host:path) must be there.
        let isURL = remote.contains("://") || remote.range(of: #"^[^/]+@[^/:]+:"#, options: .regularExpression) != nil
        if !isURL, !FileManager.default.fileExists(atPath: remote) {
            throw fail("remote", "'\(remote)' is neither a URL nor a path that exists here")
        }
        guard !secretFiles.isEmpty else { throw fail("secret_files", "at least one secret file is needed: the deployer never runs unauthenticated") }
        guard (1...65535).contains(port) else { throw fail("port", "\(port) is not in 1...65535") }
        guard (1024...(64 << 20)).contains(maxBodyBytes) else { throw fail("max_body_bytes", "must be in 1024...67108864") }
        guard readTimeoutSeconds > 0, readTimeoutSeconds <= 300 else { throw fail("read_timeout_seconds", "must be in (0, 300]") }
        guard stopTimeoutSeconds >= 0, stopTimeoutSeconds <= 3600 else { throw fail("stop_timeout_seconds", "must be in [0, 3600]") }
        guard keepReleases >= 1, keepReleases <= 1000 else { throw fail("keep_releases", "must be in [1, 1000]: the running release's checkout is always kept") }
        do { _ = try NSRegularExpression(pattern: tagPattern) } catch {
            throw fail("tag_pattern", "not a valid regular expression")
        }
        for (index, stage) in stages.enumerated() {
            guard !stage.name.isEmpty else { throw fail("stages[\(index)].name", "is empty") }
            guard let program = stage.argv.first, !program.isEmpty else { throw fail("stages[\(index)].argv", "needs at least the program") }
            if let timeout = stage.timeoutSeconds, !(timeout > 0) { throw fail("stages[\(index)].timeout_seconds", "must be positive") }
        }
        for (index, flag) in dockerBuildFlags.enumerated() where index == 0 && !flag.hasPrefix("-") {
            throw fail("docker_build_flags", "must start with an option ('--network', ...), not '\(flag)'")
        }
        var imageNames = Set<String>()
        for (index, image) in images.enumerated() {
            guard !image.name.isEmpty, !imageNames.contains(image.name) else { throw fail("images[\(index)].name", "is empty or repeated") }
            guard Self.isInsideCheckout(image.dockerfile) else {
                throw fail("images[\(index)].dockerfile", "'\(image.dockerfile)' must be a relative path inside the repository (no '..')")
            }
            guard !image.repository.isEmpty, !image.repository.contains(" ") else { throw fail("images[\(index)].repository", "is empty or has spaces") }
            for (key, value) in (image.buildArgs ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let problem = Self.placeholderProblem(value, earlierImages: imageNames) {
                    throw fail("images[\(index)].build_args.\(key)", problem)
                }
            }
            if let flags = image.buildFlags, let first = flags.first, !first.hasPrefix("-") {
                throw fail("images[\(index)].build_flags", "must start with an option, not '\(first)'")
            }
            imageNames.insert(image.name)
        }
        var environmentNames = Set<String>()
        for (index, environment) in environments.enumerated() {
            guard !environment.name.isEmpty, environmentNames.insert(environment.name).inserted else {
                throw fail("environments[\(index)].name", "is empty or repeated")
            }
            guard Self.isInsideCheckout(environment.overlay) else {
                throw fail("environments[\(index)].overlay", "'\(environment.overlay)' must be a relative path inside the repository (no '..')")
            }
            if let context = environment.kubeContext, context.isEmpty || context.hasPrefix("-") {
                throw fail("environments[\(index)].kube_context", "must be a context name")
            }
            if let timeout = environment.smokeTimeoutSeconds, !(timeout > 0 && timeout <= 300) {
                throw fail("environments[\(index)].smoke_timeout_seconds", "must be in (0, 300]")
            }
            if let interval = environment.smokeIntervalSeconds, !(interval >= 0 && interval <= 60) {
                throw fail("environments[\(index)].smoke_interval_seconds", "must be in [0, 60]")
            }
            if let attempts = environment.smokeAttempts, !(1...30).contains(attempts) {
                throw fail("environments[\(index)].smoke_attempts", "must be in 1...30")
            }
            guard !environment.namespace.isEmpty else { throw fail("environments[\(index)].namespace", "is empty") }
            guard !environment.deployments.isEmpty else { throw fail("environments[\(index)].deployments", "needs at least one deployment") }
            if let url = environment.smokeURL, URL(string: url)?.scheme?.hasPrefix("http") != true {
                throw fail("environments[\(index)].smoke_url", "'\(url)' is not an http(s) URL")
            }
        }
    }
}

extension DeployerConfiguration {
    /// Whether `path` stays inside the checkout: relative, not empty, no `..` component.
    static func isInsideCheckout(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    /// What is wrong with the placeholders of a build argument, or nil: `{tag}`, `{commit}` and
    /// `{image:NAME}` of an image listed before this one are known; anything else would reach docker as written.
    static func placeholderProblem(_ value: String, earlierImages: Set<String>) -> String? {
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return "has a '{' without '}'" }
            let name = rest[rest.index(after: open)..<close]
            if name.hasPrefix("image:") {
                let image = String(name.dropFirst("image:".count))
                guard earlierImages.contains(image) else {
                    return "names {\(name)}, but no image '\(image)' is listed before this one (images are built in order)"
                }
            } else if name != "tag" && name != "commit" {
                return "has the unknown placeholder {\(name)} (known: {tag}, {commit}, {image:NAME})"
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }
}

/// A configuration the deployer refuses to start with.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, field: String, reason: String)
    case secret(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read the configuration \(path): \(reason). Pass it with --config."
        case let .invalid(path, field, reason):
            return "invalid configuration in \(path): field '\(field)' \(reason)."
        case let .secret(file, reason):
            return "the webhook secret file \(file) \(reason): the deployer refuses to start without a secret. Write one with `openssl rand -hex 32 > \(file)`."
        }
    }
}

extension DecodingError {
    /// The dotted path of the field the error is about.
    var fieldPath: String {
        let context: Context
        switch self {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): context = c
        case let .keyNotFound(key, c): return (c.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        @unknown default: return "?"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "(top level)" : path
    }

    /// What is wrong, in words.
    var reason: String {
        switch self {
        case let .typeMismatch(type, _): return "has the wrong type (expected \(type))"
        case let .valueNotFound(type, _): return "is null (expected \(type))"
        case .keyNotFound: return "is missing"
        case let .dataCorrupted(context): return context.debugDescription
        @unknown default: return "is invalid"
        }
    }
}
