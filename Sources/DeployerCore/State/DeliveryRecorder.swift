/// Records accepted deliveries durably with group commit: deliveries that arrive while a transaction is
/// being written wait for the next one, which writes them all with a single fsync.
///
/// Every delivery is still committed before its 202 goes out; under a burst (GitHub redelivering a
/// backlog, many repositories tagging at once) the cost per delivery falls from one fsync to a share of one.
public actor DeliveryRecorder {
    private let store: DeploymentStore
    private var pending: [(release: ReleaseRequest, waiter: CheckedContinuation<DeliveryOutcome, Error>)] = []
    private var writing = false

    public init(store: DeploymentStore) {
        self.store = store
    }

    /// Records `release` (in arrival order with the others) and returns its outcome once committed.
    public func record(_ release: ReleaseRequest) async throws -> DeliveryOutcome {
        try await withCheckedThrowingContinuation { waiter in
            pending.append((release, waiter))
            if !writing {
                writing = true
                Task { await self.writeBatches() }
            }
        }
    }

    private func writeBatches() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let outcomes = try await store.recordDeliveries(batch.map(\.release))
                for (entry, outcome) in zip(batch, outcomes) { entry.waiter.resume(returning: outcome) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
        writing = false
    }
}
