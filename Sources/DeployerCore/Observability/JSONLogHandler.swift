import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard error.
///
/// Used when standard error is not a terminal (containers, systemd), so log collectors can parse every
/// field; on a terminal the plain `StreamLogHandler` is easier to read. Writes are unbuffered, so the
/// last lines before a kill are not lost.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private static let lock = NSLock()

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "ts": Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "logger": label,
            "message": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = JSONLogHandler.plain(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        JSONLogHandler.lock.lock()
        defer { JSONLogHandler.lock.unlock() }
        FileHandle.standardError.write(line)
    }

    static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return array.map(plain)
        case .dictionary(let dictionary): return dictionary.mapValues(plain)
        }
    }

    /// Bootstraps swift-log: JSON lines unless standard error is a terminal.
    public static func bootstrap(level: Logger.Level = .info) {
        let terminal = isatty(STDERR_FILENO) == 1
        LoggingSystem.bootstrap { label in
            var handler: LogHandler = terminal ? StreamLogHandler.standardError(label: label) : JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
