import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) beside the state database: one process at a time runs releases from it.
///
/// The lock is released by the kernel when the process ends, however it ends, so a `kill -9` never leaves
/// a stale lock behind.
public final class WorkerLock: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// Opens (creating) `<statePath>.lock`.
    public init(statePath: String) throws {
        path = statePath + ".lock"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError.invalid(path: path, field: "state_path", reason: "lock file cannot be created (errno \(errno))")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock if no other process holds it.
    public func tryAcquire() -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }
}
