/// One commit status the deployer reports back to the forge: a release's progress, shown on the commit
/// (and the tag) in the forge's UI, as Argo CD notifications or Flux's notification-controller do.
public struct ForgeStatus: Sendable, Equatable {
    /// The forge's commit-status states, as GitHub names them.
    public enum State: String, Sendable {
        case pending, success, failure, error
    }

    /// `owner/name`.
    public var repository: String
    /// The commit the tag resolved to.
    public var commit: String
    public var state: State
    /// `intentops/release` for the whole release, `intentops/<stage>` for one stage.
    public var context: String
    /// One line (forges cut it at 140 characters).
    public var description: String

    public init(repository: String, commit: String, state: State, context: String, description: String) {
        self.repository = repository
        self.commit = commit
        self.state = state
        self.context = context
        self.description = String(description.prefix(140))
    }
}

/// Where statuses go: a forge's API, or nowhere.
public protocol ForgeNotifier: Sendable {
    /// Posts `status`, retrying within its own limits; never throws (a forge that does not answer must not
    /// fail a release) and logs what it could not deliver.
    func post(_ status: ForgeStatus) async
}

/// No forge configured.
public struct NoForge: ForgeNotifier {
    public init() {}
    public func post(_ status: ForgeStatus) async {}
}
