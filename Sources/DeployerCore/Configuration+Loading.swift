import Foundation

/// Reading and validating the configuration: every problem names its field and what to do.
extension DeployerConfiguration {
    /// Loads `path`, applies environment overrides (`DEPLOYER_HOST`, `DEPLOYER_PORT`,
    /// `DEPLOYER_STATE_PATH`), reads the secret files and validates the result.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DeployerConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError.unreadable(path: path, reason: error.localizedDescription)
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
        try configuration.readSecrets()
        try configuration.validate(path: path)
        return configuration
    }

    /// Reads every secret file; an empty or missing secret refuses to start.
    public mutating func readSecrets() throws {
        secrets = []
        for file in secretFiles {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError.secret(file: file, reason: "cannot be read")
            }
            // A trailing newline from `echo secret > file` is not part of the secret.
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw ConfigurationError.secret(file: file, reason: "is empty") }
            secrets.append(bytes)
        }
    }

    /// Checks every field; throws the first problem found.
    public func validate(path: String) throws {
        func fail(_ field: String, _ reason: String) -> ConfigurationError { .invalid(path: path, field: field, reason: reason) }
        guard !repositories.isEmpty else { throw fail("repositories", "at least one owner/name is needed") }
        for (index, repository) in repositories.enumerated() {
            let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
                throw fail("repositories[\(index)]", "'\(repository)' is not owner/name")
            }
        }
        guard !remote.isEmpty, !remote.hasPrefix("-") else { throw fail("remote", "must be a git URL or path (not empty, not starting with '-')") }
        guard !secretFiles.isEmpty else { throw fail("secret_files", "at least one secret file is needed: the deployer never runs unauthenticated") }
        guard (1...65535).contains(port) else { throw fail("port", "\(port) is not in 1...65535") }
        guard (1024...(64 << 20)).contains(maxBodyBytes) else { throw fail("max_body_bytes", "must be in 1024...67108864") }
        guard readTimeoutSeconds > 0, readTimeoutSeconds <= 300 else { throw fail("read_timeout_seconds", "must be in (0, 300]") }
        guard stopTimeoutSeconds >= 0, stopTimeoutSeconds <= 3600 else { throw fail("stop_timeout_seconds", "must be in [0, 3600]") }
        do { _ = try NSRegularExpression(pattern: tagPattern) } catch {
            throw fail("tag_pattern", "not a valid regular expression")
        }
        for (index, stage) in stages.enumerated() {
            guard !stage.name.isEmpty else { throw fail("stages[\(index)].name", "is empty") }
            guard let program = stage.argv.first, !program.isEmpty else { throw fail("stages[\(index)].argv", "needs at least the program") }
            if let timeout = stage.timeoutSeconds, !(timeout > 0) { throw fail("stages[\(index)].timeout_seconds", "must be positive") }
        }
        var imageNames = Set<String>()
        for (index, image) in images.enumerated() {
            guard !image.name.isEmpty, imageNames.insert(image.name).inserted else { throw fail("images[\(index)].name", "is empty or repeated") }
            guard !image.dockerfile.isEmpty else { throw fail("images[\(index)].dockerfile", "is empty") }
            guard !image.repository.isEmpty, !image.repository.contains(" ") else { throw fail("images[\(index)].repository", "is empty or has spaces") }
        }
        var environmentNames = Set<String>()
        for (index, environment) in environments.enumerated() {
            guard !environment.name.isEmpty, environmentNames.insert(environment.name).inserted else {
                throw fail("environments[\(index)].name", "is empty or repeated")
            }
            guard !environment.overlay.isEmpty else { throw fail("environments[\(index)].overlay", "is empty") }
            guard !environment.namespace.isEmpty else { throw fail("environments[\(index)].namespace", "is empty") }
            guard !environment.deployments.isEmpty else { throw fail("environments[\(index)].deployments", "needs at least one deployment") }
            if let url = environment.smokeURL, URL(string: url)?.scheme?.hasPrefix("http") != true {
                throw fail("environments[\(index)].smoke_url", "'\(url)' is not an http(s) URL")
            }
        }
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
