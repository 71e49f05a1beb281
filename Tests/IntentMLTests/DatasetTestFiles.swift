import Foundation
@testable import IntentML

/// Temporary data files for the dataset tests: written with exact bytes, removed after use.
enum DatasetTestFiles {
    /// Writes `bytes` to a fresh file ending in `.ext`, runs `body` with its path, then deletes the file.
    @discardableResult
    static func with<T>(_ bytes: [UInt8], ext: String, _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intentops-dataset-tests")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("\(UUID().uuidString).\(ext)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Writes `text` as UTF-8 (see `with(_:ext:_:)`).
    @discardableResult
    static func with<T>(_ text: String, ext: String, _ body: (String) throws -> T) throws -> T {
        try with(Array(text.utf8), ext: ext, body)
    }

    /// Every record of `path` read with `options` (and `chunkSize`).
    static func records(_ path: String, _ options: DatasetOptions, chunkSize: Int = DatasetReader.defaultChunkSize) throws -> [DatasetRecord] {
        var records: [DatasetRecord] = []
        try DatasetReader(path: path, options: options, chunkSize: chunkSize).forEachRecord { records.append($0) }
        return records
    }

    /// Every record of a temporary file holding `text`.
    static func records(of text: String, ext: String, _ options: DatasetOptions, chunkSize: Int = DatasetReader.defaultChunkSize) throws -> [DatasetRecord] {
        try with(text, ext: ext) { try records($0, options, chunkSize: chunkSize) }
    }

    /// The error thrown reading a temporary file holding `bytes`, with the path it was written to.
    static func error(reading bytes: [UInt8], ext: String, _ options: DatasetOptions) throws -> (error: DatasetError?, path: String) {
        try with(bytes, ext: ext) { path in
            do {
                _ = try records(path, options)
                return (nil, path)
            } catch let error as DatasetError {
                return (error, path)
            }
        }
    }

    /// `error(reading:ext:_:)` for UTF-8 text.
    static func error(reading text: String, ext: String, _ options: DatasetOptions) throws -> (error: DatasetError?, path: String) {
        try error(reading: Array(text.utf8), ext: ext, options)
    }

    /// The URL of a fixture file in `Tests/IntentMLTests/Fixtures`.
    static func fixture(_ name: String, _ ext: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return url.path
    }
}
