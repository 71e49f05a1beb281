import Synchronization

/// A graceful stop asked of the release worker (SIGTERM): no new job is claimed and no new stage starts;
/// the job under way is put back in the queue to resume from the stage it had reached.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func request() { requested.store(true, ordering: .releasing) }

    public var isRequested: Bool { requested.load(ordering: .acquiring) }
}
