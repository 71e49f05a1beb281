import Foundation
import IntentSupport

/// Fingerprints dataset files, so that a model records exactly which data it was trained on.
public enum DatasetFingerprint {
    /// Bytes hashed per read: large enough for throughput, small enough to keep memory flat.
    static let readSize = 1 << 20

    /// The SHA-256 of the file's bytes as 64 lowercase hex digits; the file is streamed, not loaded.
    ///
    /// - Throws: `DatasetError.fileNotFound` or `.unreadable`.
    public static func sha256Hex(ofFile path: String) throws -> String {
        var hasher = SHA256()
        try update(&hasher, withFile: path)
        return SHA256.hex(hasher.finalize())
    }

    /// Feeds the bytes of the file at `path` to `hasher`, e.g. to fingerprint several files together.
    ///
    /// - Throws: `DatasetError.fileNotFound` or `.unreadable`.
    public static func update(_ hasher: inout SHA256, withFile path: String) throws {
        let handle = try ByteLineReader.open(path)
        defer { if path != ByteLineReader.standardInputPath { try? handle.close() } }
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: readSize)
            } catch {
                throw DatasetError.unreadable(path: path, reason: "read failed: \(error)")
            }
            guard let chunk, !chunk.isEmpty else { return }
            hasher.update(bytes: chunk)
        }
    }
}
