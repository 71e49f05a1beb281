import Foundation

/// Reads a file (or standard input) in fixed-size chunks and hands out its lines as byte buffers.
///
/// Only the current chunk and at most one partial line are in memory, whatever the file size. Lines are split
/// on the byte 0x0A without decoding anything, so that only the fields a caller keeps become `String`s. A
/// trailing CR (CRLF files) and a leading UTF-8 byte order mark are removed; a last line without a newline
/// is still returned. Line numbers are 1-based and count every line, blank ones included.
struct ByteLineReader {
    /// The path meaning standard input.
    static let standardInputPath = "-"
    /// The name standard input goes by in messages and source locations.
    static let standardInputName = "<stdin>"
    /// The UTF-8 byte order mark some editors put at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The path as given, or `-` for standard input.
    let path: String
    /// Bytes read per system call.
    let chunkSize: Int
    /// Longest line accepted, so that a file without newlines cannot fill memory.
    let maxLineBytes: Int

    /// The name used in messages: the path, or `<stdin>`.
    var displayName: String { path == Self.standardInputPath ? Self.standardInputName : path }

    init(path: String, chunkSize: Int, maxLineBytes: Int) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.path = path
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    /// Opens `path` for reading (`-` is standard input), telling a missing file from an unreadable one.
    static func open(_ path: String) throws -> FileHandle {
        if path == standardInputPath { return FileHandle.standardInput }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else { throw DatasetError.unreadable(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatasetError.unreadable(path: path, reason: "permission denied or the file cannot be opened")
        }
        return handle
    }

    /// Calls `body` with every line (without its line break) and its 1-based number, in order.
    ///
    /// The buffer passed to `body` is valid only during the call.
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let handle = try Self.open(path)
        defer { if path != Self.standardInputPath { try? handle.close() } }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize * 2)
        var lineNumber = 0
        var atEnd = false
        var isFirstLine = true
        while true {
            let consumed = try buffer.withUnsafeBufferPointer { all -> Int in
                guard let base = all.baseAddress else { return 0 }
                var start = 0
                while start < all.count, let found = memchr(base + start, 0x0A, all.count - start) {
                    let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                    lineNumber += 1
                    try emit(UnsafeBufferPointer(rebasing: all[start..<end]), lineNumber, &isFirstLine, body)
                    start = end + 1
                }
                if atEnd && start < all.count {
                    lineNumber += 1
                    try emit(UnsafeBufferPointer(rebasing: all[start...]), lineNumber, &isFirstLine, body)
                    start = all.count
                }
                return start
            }
            if atEnd { return }
            if consumed > 0 { buffer.removeSubrange(0..<consumed) }
            if buffer.count > maxLineBytes {
                throw DatasetError.lineTooLong(SourceLocation(file: displayName, line: lineNumber + 1), limit: maxLineBytes)
            }
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: chunkSize)
            } catch {
                throw DatasetError.unreadable(path: displayName, reason: "read failed after line \(lineNumber): \(error)")
            }
            if let chunk, !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                atEnd = true
            }
        }
    }

    /// Strips the line's CR and (on the first line) the byte order mark, then calls `body`.
    @inline(__always)
    private func emit(
        _ raw: UnsafeBufferPointer<UInt8>, _ number: Int, _ isFirstLine: inout Bool,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        var line = raw[...]
        if isFirstLine {
            isFirstLine = false
            if line.starts(with: Self.byteOrderMark) { line = line.dropFirst(Self.byteOrderMark.count) }
        }
        if line.last == 0x0D { line = line.dropLast() }
        if line.count > maxLineBytes {
            throw DatasetError.lineTooLong(SourceLocation(file: displayName, line: number), limit: maxLineBytes)
        }
        try body(UnsafeBufferPointer(rebasing: line), number)
    }
}
