/// The deployer's fixed limits, each with the reason for its value.
public enum Limits {
    /// Largest webhook body accepted by default: GitHub caps payloads at 25 MB, but tag pushes are a few
    /// KiB; 1 MiB leaves room for large commit lists without letting a client make us buffer much.
    public static let defaultMaxBodyBytes = 1 << 20
    /// Default time a client may take to send a request before the server gives up on it: GitHub itself
    /// gives up after 10 s, so a slower sender is not a real hook.
    public static let bodyReadTimeoutSeconds: Double = 10
    /// Log tail kept per stage run in the state database: enough to see why a stage failed.
    public static let stageLogTailBytes = 64 * 1024
    /// Default per-stage timeout when the config gives none: a cold `swift test` with Hummingbird takes
    /// minutes on a small builder.
    public static let defaultStageTimeoutSeconds: Double = 1800
    /// Default time the release stage under way gets to finish after SIGTERM: under Kubernetes' default
    /// 30 s grace period, with time left for the receiver to drain.
    public static let defaultStopTimeoutSeconds: Double = 25
    /// Shortest webhook secret accepted: GitHub recommends a long random string; 16 bytes is 128 bits
    /// at best, and a 5-byte secret can be guessed offline from one signed delivery.
    public static let minSecretBytes = 16
    /// One commit-status request to the forge: its API answers in well under a second.
    public static let forgeTimeoutSeconds: Double = 10
    /// Default `kubectl rollout status --timeout`.
    public static let defaultRolloutTimeoutSeconds: Double = 300
    /// Deployments listed by `GET /api/deployments` when no limit is given.
    public static let defaultHistoryLimit = 50
    /// Longest tag name accepted: git allows more, but no release tag needs it and it bounds logs.
    public static let maxTagBytes = 200
    /// Longest delivery id accepted: providers send UUIDs (36 characters).
    public static let maxDeliveryIDBytes = 128
    /// Output kept in memory per command (its tail): a `swift test` or `docker build` log can be large,
    /// and only the end says why it failed.
    public static let commandOutputTailBytes = 1 << 20
    /// How long a timed-out process group gets between SIGTERM and SIGKILL.
    public static let terminationGraceSeconds: Double = 5
    /// How long one smoke check waits for an answer: a healthy pod answers its health route in milliseconds.
    public static let smokeTimeoutSeconds: Double = 10
    /// Smoke checks made before an environment is called unhealthy: a Service can take a few seconds to
    /// send traffic to new pods after the rollout reports them ready.
    public static let smokeAttempts = 5
    /// Release checkouts (and the local images they built) kept in the work directory; a checkout is a
    /// clone of the repository, and rollbacks need none of them (release records keep the manifests).
    public static let defaultKeepReleases = 5
    /// Pause between smoke checks.
    public static let smokeRetryInterval: Duration = .seconds(2)
    /// How often an idle worker looks at the queue for jobs another process queued (`deployer deploy`
    /// while a server runs); webhook deliveries wake it at once.
    public static let queuePollInterval: Duration = .seconds(2)
}
