import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Helpers every test target shares: free ports, scratch directories and the external tools some tests
/// need. A test whose tool is missing is reported as skipped (with how to enable it) through
/// `.enabled(if:)`; under `CI=true` it runs anyway and fails on the missing tool, so CI can never pass
/// without it.
public enum TestTools {
    /// Whether the tests run under CI (`CI=true`), where a missing tool is a failure.
    public static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The first executable `name` on PATH.
    public static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    public static let promtool = which("promtool")
    public static let schemathesis = which("st")
}

/// A failure of the test helpers themselves.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
}

public enum TestPorts {
    /// A port nothing listens on now: bind 127.0.0.1 port 0, read what the kernel chose, close.
    public static func free() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError(description: "socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestSupportError(description: "cannot bind 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public enum TestDirectories {
    /// A new empty directory under the system's temporary directory, its name starting with `prefix`.
    public static func make(prefix: String = "intentops-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
