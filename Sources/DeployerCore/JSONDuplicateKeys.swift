/// Finds a key written twice in one JSON object: JSON decoders keep the last and drop the first without
/// a word, so a configuration that sets a field twice would mean something its writer did not see.
enum JSONDuplicateKeys {
    /// The dotted path of the first repeated key (`environments[1].namespace`), or nil. Not a validator:
    /// on malformed JSON it returns nil and leaves the error to the decoder.
    static func first(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        return scanner.value(path: "")
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        /// Scans one value; returns the path of a duplicate inside it, if any.
        mutating func value(path: String) -> String? {
            skipSpace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var seen = Set<String>()
                while true {
                    skipSpace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    guard bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
                    let keyPath = path.isEmpty ? key : "\(path).\(key)"
                    if !seen.insert(key).inserted { return keyPath }
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                    position += 1
                    if let found = value(path: keyPath) { return found }
                }
            case UInt8(ascii: "["):
                position += 1
                var index = 0
                while true {
                    skipSpace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; index += 1; continue }
                    let start = position
                    if let found = value(path: "\(path)[\(index)]") { return found }
                    if position == start { return nil }  // not a value: malformed
                }
            case UInt8(ascii: "\""):
                _ = string()
                return nil
            default:
                // A number or a literal: up to the next delimiter.
                while position < bytes.count, !",]} \t\r\n".utf8.contains(bytes[position]) { position += 1 }
                return nil
            }
        }

        /// A string at `position` (on its opening quote), escapes kept as written: keys are compared as
        /// spelled, which is how a reader sees them.
        mutating func string() -> String? {
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }
}
