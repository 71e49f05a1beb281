import ArgumentParser
import Foundation

/// Standard output, or a file written through a temp file that is renamed into place on success.
final class OutputSink {
    private let handle: FileHandle
    private let finalPath: String?
    private let temporaryPath: String?

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            finalPath = nil
            temporaryPath = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ValidationError("cannot create the output file next to \(path): check that the directory exists and is writable.")
        }
        self.handle = handle
        finalPath = path
        temporaryPath = temporary
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    func commit() throws {
        guard let finalPath, let temporaryPath else { return }
        try handle.synchronize()
        try handle.close()
        guard rename(temporaryPath, finalPath) == 0 else {
            throw ValidationError("cannot move the output into place at \(finalPath): \(String(cString: strerror(errno)))")
        }
    }

    func abandon() {
        guard let temporaryPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
