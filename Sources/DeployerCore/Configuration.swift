import Foundation
import HTTPServing

/// Everything the deployer needs, read once at start-up from one JSON file and validated.
///
/// Precedence: flags > environment (`DEPLOYER_*`, read only in `DeployerConfiguration.load`) > file >
/// the documented defaults below. An invalid file stops the deployer with the field named.
public struct DeployerConfiguration: Sendable, Equatable {
    /// A command the pipeline runs as a test stage (argv, no shell).
    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var argv: [String]
        public var timeoutSeconds: Double?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, argv, timeoutSeconds = "timeout_seconds" }

        public init(name: String, argv: [String], timeoutSeconds: Double?) {
            self.name = name
            self.argv = argv
            self.timeoutSeconds = timeoutSeconds
        }

        public init(from decoder: Decoder) throws {
            try refuseUnknownFields(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            argv = try container.decode([String].self, forKey: .argv)
            timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        }
    }

    /// An image the pipeline builds and pushes.
    public struct Image: Codable, Sendable, Equatable {
        public var name: String
        public var dockerfile: String
        /// Registry repository, e.g. `registry.example.com/intentops/api`.
        public var repository: String
        public var buildArgs: [String: String]?
        /// Extra `docker build` options for this image (after the global `docker_build_flags`).
        public var buildFlags: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, dockerfile, repository, buildArgs = "build_args", buildFlags = "build_flags"
        }

        public init(name: String, dockerfile: String, repository: String, buildArgs: [String: String]?, buildFlags: [String]? = nil) {
            self.name = name
            self.dockerfile = dockerfile
            self.repository = repository
            self.buildArgs = buildArgs
            self.buildFlags = buildFlags
        }

        public init(from decoder: Decoder) throws {
            try refuseUnknownFields(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            dockerfile = try container.decode(String.self, forKey: .dockerfile)
            repository = try container.decode(String.self, forKey: .repository)
            buildArgs = try container.decodeIfPresent([String: String].self, forKey: .buildArgs)
            buildFlags = try container.decodeIfPresent([String].self, forKey: .buildFlags)
        }
    }

    /// Where release progress is reported: commit statuses through the forge's API.
    public struct Forge: Codable, Sendable, Equatable {
        public var kind: HTTPForgeNotifier.Kind
        /// The API root: `https://api.github.com`, `https://gitea.example.com/api/v1`, `https://gitlab.com/api/v4`.
        public var apiURL: String
        /// A file holding the API token (a GitHub token with `repo:status`, a GitLab token with `api`).
        public var tokenFile: String
        /// The link each status carries (this deployer's /api/deployments, a dashboard).
        public var targetURL: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, apiURL = "api_url", tokenFile = "token_file", targetURL = "target_url"
        }

        public init(kind: HTTPForgeNotifier.Kind, apiURL: String, tokenFile: String, targetURL: String? = nil) {
            self.kind = kind
            self.apiURL = apiURL
            self.tokenFile = tokenFile
            self.targetURL = targetURL
        }

        public init(from decoder: Decoder) throws {
            try refuseUnknownFields(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(HTTPForgeNotifier.Kind.self, forKey: .kind)
            apiURL = try container.decode(String.self, forKey: .apiURL)
            tokenFile = try container.decode(String.self, forKey: .tokenFile)
            targetURL = try container.decodeIfPresent(String.self, forKey: .targetURL)
        }
    }

    /// A Kubernetes environment the release rolls through, in order.
    public struct Environment: Codable, Sendable, Equatable {
        public var name: String
        /// The kustomize overlay directory, relative to the repository root.
        public var overlay: String
        public var namespace: String
        public var deployments: [String]
        public var smokeURL: String?
        public var rolloutTimeoutSeconds: Double?
        /// The kubeconfig context of the environment's cluster (`kubectl --context`); the current one when absent.
        public var kubeContext: String?
        /// How long one smoke check waits for an answer, and how many checks are made before it fails.
        public var smokeTimeoutSeconds: Double?
        public var smokeAttempts: Int?
        /// Seconds between two smoke checks.
        public var smokeIntervalSeconds: Double?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, overlay, namespace, deployments
            case smokeURL = "smoke_url", rolloutTimeoutSeconds = "rollout_timeout_seconds", kubeContext = "kube_context"
            case smokeTimeoutSeconds = "smoke_timeout_seconds", smokeAttempts = "smoke_attempts", smokeIntervalSeconds = "smoke_interval_seconds"
        }

        public init(name: String, overlay: String, namespace: String, deployments: [String], smokeURL: String?, rolloutTimeoutSeconds: Double?,
                    kubeContext: String? = nil, smokeTimeoutSeconds: Double? = nil, smokeAttempts: Int? = nil, smokeIntervalSeconds: Double? = nil) {
            self.name = name
            self.overlay = overlay
            self.namespace = namespace
            self.deployments = deployments
            self.smokeURL = smokeURL
            self.rolloutTimeoutSeconds = rolloutTimeoutSeconds
            self.kubeContext = kubeContext
            self.smokeTimeoutSeconds = smokeTimeoutSeconds
            self.smokeAttempts = smokeAttempts
            self.smokeIntervalSeconds = smokeIntervalSeconds
        }

        public init(from decoder: Decoder) throws {
            try refuseUnknownFields(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            overlay = try container.decode(String.self, forKey: .overlay)
            namespace = try container.decode(String.self, forKey: .namespace)
            deployments = try container.decode([String].self, forKey: .deployments)
            smokeURL = try container.decodeIfPresent(String.self, forKey: .smokeURL)
            rolloutTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .rolloutTimeoutSeconds)
            kubeContext = try container.decodeIfPresent(String.self, forKey: .kubeContext)
            smokeTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .smokeTimeoutSeconds)
            smokeAttempts = try container.decodeIfPresent(Int.self, forKey: .smokeAttempts)
            smokeIntervalSeconds = try container.decodeIfPresent(Double.self, forKey: .smokeIntervalSeconds)
        }

        /// `--context` for every kubectl command of the environment, when one is configured.
        var kubectlContext: [String] { kubeContext.map { ["--context", $0] } ?? [] }
    }

    public var host = "127.0.0.1"
    public var port = 8090
    /// Repository full names (`owner/name`) whose tags may be released.
    public var repositories: [String]
    /// The only place code is fetched from; never a URL from a payload.
    public var remote: String
    /// Files holding webhook secrets (one per file; several allow rotation).
    public var secretFiles: [String]
    /// ASCII digits only: `\d` also matches other scripts' digits (`v١.٠.٠`), which no release means.
    public var tagPattern = #"^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$"#
    public var statePath = "deployer-state/state.sqlite"
    public var workDirectory = "deployer-state/work"
    public var maxBodyBytes = Limits.defaultMaxBodyBytes
    /// How long a client may take to send a request; a silent connection is closed, a slow body gets 408.
    public var readTimeoutSeconds = Limits.bodyReadTimeoutSeconds
    /// After SIGTERM, how long the release stage under way may take to finish before its command is
    /// killed; the job resumes from that stage on the next start either way.
    public var stopTimeoutSeconds = Limits.defaultStopTimeoutSeconds
    /// Release checkouts and the local images they built kept after a release; older ones are removed.
    public var keepReleases = Limits.defaultKeepReleases
    public var stages: [Stage] = []
    public var images: [Image] = []
    /// Options for every `docker build` (for example `["--network", "host"]` on an engine without a bridge).
    public var dockerBuildFlags: [String] = []
    public var environments: [Environment] = []

    /// Commit statuses back to the forge, when set.
    public var forge: Forge?
    /// The forge token read from `forge.token_file` (never logged).
    public var forgeToken: String?

    /// The file holding the bearer token of the admin API (`/api/*`); without it the API is read-only.
    public var adminTokenFile: String?

    /// The secrets read from `secretFiles` (never logged).
    public var secrets: [[UInt8]] = []
    /// The token read from `adminTokenFile`.
    public var adminToken: BearerToken?

    public init(repositories: [String], remote: String, secretFiles: [String]) {
        self.repositories = repositories
        self.remote = remote
        self.secretFiles = secretFiles
    }
}

extension DeployerConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, repositories, remote, stages, images, environments
        case secretFiles = "secret_files", tagPattern = "tag_pattern", statePath = "state_path"
        case workDirectory = "work_directory", maxBodyBytes = "max_body_bytes", readTimeoutSeconds = "read_timeout_seconds"
        case stopTimeoutSeconds = "stop_timeout_seconds", dockerBuildFlags = "docker_build_flags", adminTokenFile = "admin_token_file", forge
        case keepReleases = "keep_releases"
    }

    public init(from decoder: Decoder) throws {
        try refuseUnknownFields(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            repositories: try container.decode([String].self, forKey: .repositories),
            remote: try container.decode(String.self, forKey: .remote),
            secretFiles: try container.decode([String].self, forKey: .secretFiles))
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
        tagPattern = try container.decodeIfPresent(String.self, forKey: .tagPattern) ?? tagPattern
        statePath = try container.decodeIfPresent(String.self, forKey: .statePath) ?? statePath
        workDirectory = try container.decodeIfPresent(String.self, forKey: .workDirectory) ?? workDirectory
        maxBodyBytes = try container.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        readTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .readTimeoutSeconds) ?? readTimeoutSeconds
        stopTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .stopTimeoutSeconds) ?? stopTimeoutSeconds
        keepReleases = try container.decodeIfPresent(Int.self, forKey: .keepReleases) ?? keepReleases
        stages = try container.decodeIfPresent([Stage].self, forKey: .stages) ?? []
        images = try container.decodeIfPresent([Image].self, forKey: .images) ?? []
        environments = try container.decodeIfPresent([Environment].self, forKey: .environments) ?? []
        dockerBuildFlags = try container.decodeIfPresent([String].self, forKey: .dockerBuildFlags) ?? []
        adminTokenFile = try container.decodeIfPresent(String.self, forKey: .adminTokenFile)
        forge = try container.decodeIfPresent(Forge.self, forKey: .forge)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(repositories, forKey: .repositories)
        try container.encode(remote, forKey: .remote)
        try container.encode(secretFiles, forKey: .secretFiles)
        try container.encode(tagPattern, forKey: .tagPattern)
        try container.encode(statePath, forKey: .statePath)
        try container.encode(workDirectory, forKey: .workDirectory)
        try container.encode(maxBodyBytes, forKey: .maxBodyBytes)
        try container.encode(readTimeoutSeconds, forKey: .readTimeoutSeconds)
        try container.encode(stopTimeoutSeconds, forKey: .stopTimeoutSeconds)
        try container.encode(keepReleases, forKey: .keepReleases)
        try container.encode(stages, forKey: .stages)
        try container.encode(images, forKey: .images)
        try container.encode(environments, forKey: .environments)
        try container.encode(dockerBuildFlags, forKey: .dockerBuildFlags)
        try container.encodeIfPresent(adminTokenFile, forKey: .adminTokenFile)
        try container.encodeIfPresent(forge, forKey: .forge)
    }
}

/// Refuses a field this object does not have: a misspelled `smokeurl` must not silently turn a check off.
func refuseUnknownFields<Keys: CodingKey>(_ decoder: Decoder, _ keys: Keys.Type) throws {
    for name in try decoder.container(keyedBy: DynamicKey.self).allKeys.map(\.stringValue) where Keys(stringValue: name) == nil {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "has the unknown field '\(name)'"))
    }
}

/// A coding key for any field name, to find unknown fields.
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension DeployerConfiguration {
    /// The receiver's connection limits: every read deadline is `read_timeout_seconds` (GitHub gives up on
    /// a hook after 10 s, so a slower client is not a forge).
    var serverLimits: ServerLimits {
        var limits = ServerLimits()
        let timeout = Duration.milliseconds(Int64(readTimeoutSeconds * 1000))
        limits.idleTimeout = timeout
        limits.headerTimeout = timeout
        limits.bodyTimeout = timeout
        // Tag hooks are rare and small: a few hundred connections are plenty.
        limits.maxConnections = 512
        return limits
    }
}
