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
        // Written by hand rather than with JSONSerialization: on the webhook path the logger is the
        // receiver's largest cost otherwise (sorting AnyHashable keys), measured with perf.
        var fields: [(String, Logger.MetadataValue)] = [
            ("ts", .string(JSONLogHandler.timestamp())), ("level", .string(event.level.rawValue)),
            ("logger", .string(label)), ("message", .string(event.message.description)),
        ]
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        for key in merged.keys.sorted() where !["ts", "level", "logger", "message"].contains(key) {
            if let value = merged[key] { fields.append((key, value)) }
        }
        var line = "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            JSONLogHandler.appendString(field.0, to: &line)
            line += ":"
            JSONLogHandler.append(field.1, to: &line)
        }
        line += "}\n"
        JSONLogHandler.lock.lock()
        defer { JSONLogHandler.lock.unlock() }
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func append(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let string): appendString(string, to: &line)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &line)
        case .array(let array):
            line += "["
            for (index, element) in array.enumerated() {
                if index > 0 { line += "," }
                append(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                appendString(key, to: &line)
                line += ":"
                if let element = dictionary[key] { append(element, to: &line) }
            }
            line += "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func appendString(_ string: String, to line: inout String) {
        line += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }

    /// UTC now as `2026-11-29T03:41:07.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
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
