import Foundation

/// Writes files so that readers see the old content or the new, never a mix: temp file, flush, rename.
public enum AtomicFile {
    /// Replaces the file at `path` with `data` atomically (the temp file lives in the same directory).
    public static func write(_ data: Data, to path: String) throws {
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw AtomicFileError.cannotCreate(path: temporary.path)
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, destination.path) != 0 {
                throw AtomicFileError.cannotRename(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Why an atomic write failed.
public enum AtomicFileError: Error, CustomStringConvertible {
    case cannotCreate(path: String)
    case cannotRename(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path):
            return "cannot create \(path): check that the directory exists and is writable."
        case let .cannotRename(path, reason):
            return "cannot move the finished file into place at \(path): \(reason)."
        }
    }
}
