import HummingbirdCore

/// Hummingbird's accept gate over a `ConnectionRegistry`: no accept beyond the cap, so the process never
/// runs out of descriptors (which crashed it), and room made at the cap by closing idle connections.
///
/// The registry counts connections itself (its handler registers each one), so the opened and closed
/// calls only keep the gate's own bookkeeping.
public struct ConnectionBudget: AvailableConnectionsDelegate {
    let registry: ConnectionRegistry

    public init(registry: ConnectionRegistry) {
        self.registry = registry
    }

    public mutating func connectionOpened() {}
    public mutating func connectionClosed() {}

    public func isAcceptingNewConnections() -> Bool {
        registry.admits()
    }
}
