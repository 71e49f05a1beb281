import NIOCore
import NIOEmbedded
import Testing
@testable import HTTPServing

/// The connection cap's choice of whom to close: the connection idle the longest, never a busy one, never
/// the newcomer; and at a cost that does not grow with the number of connections.
@Suite("Connection registry")
struct ConnectionRegistryTests {
    /// `count` open embedded channels, registered in order.
    static func open(_ count: Int, in registry: ConnectionRegistry) -> [EmbeddedChannel] {
        (0..<count).map { _ in
            let channel = EmbeddedChannel()
            _ = try? channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            registry.register(channel)
            return channel
        }
    }

    @Test("at the cap the connection idle the longest is closed: order of idleness, not of arrival; busy ones are spared")
    func evictionOrder() throws {
        let registry = ConnectionRegistry(maxConnections: 16)  // headroom 2: evictions start past 14
        let channels = Self.open(14, in: registry)
        // 0 and 1 become busy, 2 busy then idle again (now the most recently idle); 3 is the oldest idle.
        registry.setIdle(channels[0], false)
        registry.setIdle(channels[1], false)
        registry.setIdle(channels[2], false)
        registry.setIdle(channels[2], true)
        let newcomer = Self.open(1, in: registry)[0]
        #expect(!channels[3].isActive, "the oldest idle connection is closed")
        #expect(channels[0].isActive && channels[1].isActive && channels[2].isActive && newcomer.isActive)
        registry.unregister(channels[3])
        // Next in line: 4, then 5 ...; 2 comes after every connection idle before it.
        for expected in 4..<14 {
            let next = Self.open(1, in: registry)[0]
            #expect(!channels[expected].isActive && next.isActive, "expected \(expected) to be closed")
            registry.unregister(channels[expected])
        }
        let last = Self.open(1, in: registry)[0]
        #expect(!channels[2].isActive && last.isActive)
        #expect(registry.counters.evicted == 12)
    }

    @Test("a flood at the cap costs the same per connection with 4,096 open as with 64")
    func evictionCost() throws {
        func costPerConnection(cap: Int) -> Duration {
            let registry = ConnectionRegistry(maxConnections: cap)
            let open = Self.open(cap, in: registry)
            let flood = (0..<2_000).map { _ in EmbeddedChannel() }
            let started = ContinuousClock.now
            for channel in flood {
                // Each one closes the oldest idle connection (closed ones stay registered here: no close
                // handler runs, which only makes the registry's work larger).
                registry.register(channel)
                // Requests come and go on a connection meanwhile.
                registry.setIdle(open[0], false)
                registry.setIdle(open[0], true)
            }
            return (ContinuousClock.now - started) / flood.count
        }
        _ = costPerConnection(cap: 64)  // warm up
        let small = costPerConnection(cap: 64)
        let large = costPerConnection(cap: 4_096)
        // A scan of every connection under the lock made the large case tens of times the small one.
        #expect(large < small * 4 + .microseconds(20), "64 open: \(small) per connection, 4,096 open: \(large)")
    }
}
