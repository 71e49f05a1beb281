import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How long a connection may take and how many there may be: what keeps a server up when clients are
/// slow, stop half-way or open connections by the thousand.
///
/// Each default is a named constant with the reason for its value; every field can be configured
/// (`intent serve --idle-timeout ...`, the deployer's configuration file).
public struct ServerLimits: Sendable, Equatable {
    /// A keep-alive connection with no request in progress is closed after this long.
    public var idleTimeout: Duration = Defaults.idleTimeout
    /// From the first byte of a request to the end of its head; beyond it: 408 and close.
    public var headerTimeout: Duration = Defaults.headerTimeout
    /// From the end of a request's head to the end of its body; beyond it: 408 and close.
    public var bodyTimeout: Duration = Defaults.bodyTimeout
    /// After SIGTERM, how long requests still in flight may take before their connections are closed.
    public var drainTimeout: Duration = Defaults.drainTimeout
    /// Connections open at once, at most (further ones wait in the kernel's queue); idle keep-alive
    /// connections are closed first to make room. Capped by the process's descriptor limit.
    public var maxConnections: Int = Defaults.maxConnections
    /// Longest request line (method, target, version): beyond it 414.
    public var maxRequestLineBytes: Int = Defaults.maxRequestLineBytes
    /// Largest head (request line and every header field): beyond it 431.
    public var maxHeaderBytes: Int = Defaults.maxHeaderBytes
    /// Most header fields: beyond it 431.
    public var maxHeaderFields: Int = Defaults.maxHeaderFields
    /// Connections the kernel holds for the server before it accepts them (listen(2)'s backlog).
    public var backlog: Int = Defaults.backlog

    public init() {}

    /// The defaults and why.
    public enum Defaults {
        /// Load balancers keep idle upstream connections for 60 s (AWS ALB) down to 5 s; 30 s keeps most
        /// pooled connections reusable while an idle flood costs at most 30 s of a descriptor each.
        public static let idleTimeout: Duration = .seconds(30)
        /// A real client sends a head in one packet; 10 s allows a congested mobile link, and a slowloris
        /// holds a connection for 10 s at most.
        public static let headerTimeout: Duration = .seconds(10)
        /// The largest body (8 MiB) at 300 KB/s, a slow uplink; an upload stopped half-way is closed then.
        public static let bodyTimeout: Duration = .seconds(30)
        /// Kubernetes waits 30 s (terminationGracePeriodSeconds) before SIGKILL; a prediction takes
        /// milliseconds, so 10 s drains every real request and leaves time to flush the request log.
        public static let drainTimeout: Duration = .seconds(10)
        /// About 20 KB of memory per open connection (measured: see `intent serve --help`): 4,096 stay
        /// far inside the 256 MiB pod limit, and idle ones are closed to make room for new ones.
        public static let maxConnections = 4_096
        /// A GET /v1/predict of the longest text (5,000 characters of four UTF-8 bytes, each byte written
        /// as %XX) is 60,000 bytes of target; 64 KiB takes it.
        public static let maxRequestLineBytes = 64 * 1024
        /// The request line plus 32 KiB of fields: browsers and proxies send under 8 KiB.
        public static let maxHeaderBytes = 96 * 1024
        /// Real clients send fewer than 30 fields.
        public static let maxHeaderFields = 100
        /// A burst of new connections waits in the kernel while the event loop is busy; a connection that
        /// finds the queue full has its SYN dropped and retries 1 s later, so a normal client behind a flood
        /// waited a second and more with 256 (Hummingbird's default; measured by scripts/bench-hostile.sh).
        /// Linux caps it at net.core.somaxconn (4,096 since 5.4).
        public static let backlog = 4_096
        /// Descriptors kept free of connections: the listening socket, the event loops' epoll, event and
        /// timer descriptors, standard streams, the SQLite request log (database, WAL, shared memory), a
        /// bundle being reloaded, and the /proc files the Dispatch thread pool opens to watch its threads
        /// (running out of these crashed the process in libdispatch). An idle `intent serve` holds about
        /// 20; 64 leaves room.
        public static let reservedDescriptors = 64
    }

    /// What is wrong with these limits, one line per field; empty when they can be used.
    public func problems(naming name: (String) -> String = { $0 }) -> [String] {
        var problems: [String] = []
        for (field, value) in [("idle-timeout", idleTimeout), ("header-timeout", headerTimeout), ("body-timeout", bodyTimeout)]
        where value <= .zero {
            problems.append("\(name(field)) must be more than 0 seconds")
        }
        if drainTimeout < .zero { problems.append("\(name("drain-timeout")) must be 0 seconds or more") }
        if maxConnections < 1 { problems.append("\(name("max-connections")) must be at least 1") }
        if backlog < 1 { problems.append("\(name("listen-backlog")) must be at least 1") }
        return problems
    }

    /// The connection cap this process can keep: `maxConnections`, or fewer when the descriptor limit
    /// (`ulimit -n`) leaves less after `reservedDescriptors`.
    public func effectiveMaxConnections(descriptorLimit: Int = ServerLimits.descriptorLimit()) -> Int {
        max(1, min(maxConnections, descriptorLimit - Defaults.reservedDescriptors))
    }

    /// The soft limit on open descriptors, raised to the hard limit first (as Go's runtime does), so a
    /// container's default soft limit does not cap the server below what it may use.
    public static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
