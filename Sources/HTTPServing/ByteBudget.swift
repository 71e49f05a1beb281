import Synchronization

/// Bytes a server may hold at once for one purpose (request bodies being read, answers being built),
/// shared by every connection. A request that would go past it gets 503 with `Retry-After` instead of
/// taking the process past its memory limit.
public final class ByteBudget: Sendable {
    /// The bytes that may be held at once.
    public let capacity: Int
    private let used = Atomic<Int>(0)
    private let refusals = Atomic<Int>(0)

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Takes `bytes` from the budget; false (and nothing taken) when that would go past the capacity.
    public func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            guard current + bytes <= capacity else {
                refusals.add(1, ordering: .relaxed)
                return false
            }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + bytes, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
    }

    /// Gives back bytes taken with `reserve`.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        used.subtract(bytes, ordering: .acquiringAndReleasing)
    }

    /// Bytes held now.
    public var inUse: Int { used.load(ordering: .relaxed) }
    /// Reservations refused since the start.
    public var refused: Int { refusals.load(ordering: .relaxed) }
}

/// Bytes one request holds from a `ByteBudget`, given back when the reservation is freed: after the
/// answer that captured it was written, or when the request fails, whichever way it ends.
public final class ByteReservation: Sendable {
    private let budget: ByteBudget
    private let held = Atomic<Int>(0)

    public init(_ budget: ByteBudget) {
        self.budget = budget
    }

    /// Bytes held now.
    public var bytes: Int { held.load(ordering: .relaxed) }

    /// Holds `total` bytes in all (more is taken from the budget, never less given back); false when the
    /// budget cannot give that much now.
    public func grow(to total: Int) -> Bool {
        let current = held.load(ordering: .relaxed)
        guard total > current else { return true }
        guard budget.reserve(total - current) else { return false }
        held.add(total - current, ordering: .relaxed)
        return true
    }

    deinit {
        budget.release(held.load(ordering: .relaxed))
    }
}
