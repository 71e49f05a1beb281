import NIOCore
import Synchronization

/// Every open connection of a server, whether it is idle, and the cap on how many there may be.
///
/// At the cap the oldest idle keep-alive connection is closed to make room (as nginx does when it runs
/// out of connections), so a flood of idle connections cannot lock real clients out; connections in the
/// middle of a request are never closed for room, and are bounded by the read timeouts instead. On a
/// graceful shutdown, `closeAll` ends whatever the drain deadline left open.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// Which of the connection's idle spells is current (its place in `idleOrder`); nil while busy.
        var idleSpell: UInt64?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Connections in the order they became idle, oldest first, with the spell each entry stands for;
        /// an entry whose connection closed or became busy since is stale and skipped. Finding the oldest
        /// idle connection is then amortised O(1): a scan of every connection under the lock, for every
        /// accept at the cap, held a flood to 700 us of CPU per connection (scripts/bench-hostile.sh).
        var idleOrder = CircularBuffer<(key: ObjectIdentifier, spell: UInt64)>()
        var nextSpell: UInt64 = 0
        var opened = 0
        var evicted = 0
        var timedOut = 0
        var refusedHeads = 0
    }

    public let maxConnections: Int
    private let state = Mutex(State())

    public init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Connections open now.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Counters for the metrics page.
    public struct Counters: Sendable, Equatable {
        public var open: Int
        /// Connections accepted since the start.
        public var opened: Int
        /// Idle connections closed to make room under the cap.
        public var evicted: Int
        /// Connections closed by a read timeout (idle, head or body).
        public var timedOut: Int
        /// Requests refused before they reached the application (408, 414, 431, 400 on a malformed head).
        public var refusedHeads: Int
    }

    public var counters: Counters {
        state.withLock { Counters(open: $0.entries.count, opened: $0.opened, evicted: $0.evicted, timedOut: $0.timedOut, refusedHeads: $0.refusedHeads) }
    }

    /// A new connection, idle until its first byte. At the cap, the oldest idle connection is closed.
    func register(_ channel: any Channel) {
        let victim = state.withLock { state -> (any Channel)? in
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSpell: nil)
            Self.markIdle(ObjectIdentifier(channel), in: &state)
            state.opened += 1
            guard state.entries.count > maxConnections - Self.headroom(maxConnections) else { return nil }
            return Self.oldestIdle(in: &state, excluding: ObjectIdentifier(channel))
        }
        victim?.close(promise: nil)
    }

    func unregister(_ channel: any Channel) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func setIdle(_ channel: any Channel, _ idle: Bool) {
        state.withLock { state in
            let key = ObjectIdentifier(channel)
            guard state.entries[key] != nil else { return }
            if idle { Self.markIdle(key, in: &state) } else { state.entries[key]?.idleSpell = nil }
        }
    }

    func countTimeout() { state.withLock { $0.timedOut += 1 } }
    func countRefusedHead() { state.withLock { $0.refusedHeads += 1 } }

    /// Whether another connection may be accepted now; at the cap, makes room by closing the oldest idle one.
    func admits() -> Bool {
        let (admitted, victim) = state.withLock { state -> (Bool, (any Channel)?) in
            guard state.entries.count >= maxConnections else { return (true, nil) }
            return (false, Self.oldestIdle(in: &state, excluding: nil))
        }
        victim?.close(promise: nil)
        return admitted
    }

    /// Closes every connection (the drain deadline passed).
    public func closeAll() {
        let channels = state.withLock { $0.entries.values.map(\.channel) }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Room kept below the cap, so that a burst of accepts (NIO accepts several per wake-up) still lands
    /// under it: evictions start a little before the cap.
    static func headroom(_ maxConnections: Int) -> Int { min(16, maxConnections / 8) }

    /// Starts a new idle spell for `key`, at the back of the order. When stale entries outnumber live
    /// ones, the order is compacted (amortised O(1) per call).
    private static func markIdle(_ key: ObjectIdentifier, in state: inout State) {
        state.nextSpell &+= 1
        state.entries[key]?.idleSpell = state.nextSpell
        state.idleOrder.append((key, state.nextSpell))
        if state.idleOrder.count > 2 * state.entries.count + 64 {
            let live = state.idleOrder.filter { state.entries[$0.key]?.idleSpell == $0.spell }
            state.idleOrder = CircularBuffer(live)
        }
    }

    /// The connection idle the longest, other than `excluded`; counted as evicted and no longer idle (it
    /// is being closed and must not be chosen twice).
    private static func oldestIdle(in state: inout State, excluding excluded: ObjectIdentifier?) -> (any Channel)? {
        var skipped: (key: ObjectIdentifier, spell: UInt64)?
        defer { if let skipped { state.idleOrder.prepend(skipped) } }
        while let first = state.idleOrder.popFirst() {
            guard let entry = state.entries[first.key], entry.idleSpell == first.spell else { continue }
            if first.key == excluded {
                skipped = first
                continue
            }
            state.entries[first.key]?.idleSpell = nil
            state.evicted += 1
            return entry.channel
        }
        return nil
    }
}
