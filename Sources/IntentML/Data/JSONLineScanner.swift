/// Reads the sentence and label fields out of one JSON Lines record, without building a whole JSON tree.
///
/// The line must be one JSON object. Only the two wanted fields are decoded (strings unescaped, `\uXXXX`
/// surrogate pairs joined, UTF-8 checked); every other value is skipped after a structural check. This keeps
/// `intent predict` on JSONL input close to the speed of plain text, and lets errors name the column.
struct JSONLineScanner {
    /// A wanted field's value, reduced to what a dataset record can use.
    enum Value: Equatable {
        case string(String)
        case strings([String])
        case null
        /// Any other JSON value; the payload names its kind for messages ("a number").
        case other(String)
    }

    /// Deepest nesting of skipped arrays and objects, so that a hostile line cannot overflow the stack.
    static let maxNestingDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    private let location: SourceLocation
    var position = 0
    private var scratch: [UInt8] = []

    /// Scans `line`; `location` goes into error messages.
    init(line: UnsafeBufferPointer<UInt8>, location: SourceLocation) {
        bytes = line
        self.location = location
    }

    /// The values of the fields named `textKey` and `labelKey` (nil when absent), and, if `collectKeys`, the
    /// names of all fields in order.
    mutating func scan(textKey: [UInt8], labelKey: [UInt8], collectKeys: Bool = false) throws
        -> (text: Value?, label: Value?, keys: [String])
    {
        var text: Value?
        var label: Value?
        var keys: [String] = []
        skipWhitespace()
        guard peekByte() == UInt8(ascii: "{") else { throw failure("expected a JSON object starting with '{'") }
        position += 1
        skipWhitespace()
        if peekByte() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peekByte() == UInt8(ascii: "\"") else { throw failure("expected a field name in double quotes") }
                try readStringIntoScratch()
                let key = scratch
                if collectKeys { keys.append(String(decoding: key, as: UTF8.self)) }
                skipWhitespace()
                guard peekByte() == UInt8(ascii: ":") else { throw failure("expected ':' after a field name") }
                position += 1
                skipWhitespace()
                if key == textKey {
                    text = try readValue(field: String(decoding: key, as: UTF8.self))
                } else if key == labelKey {
                    label = try readValue(field: String(decoding: key, as: UTF8.self))
                } else {
                    try skipValue(depth: 0)
                }
                skipWhitespace()
                if peekByte() == UInt8(ascii: ",") { position += 1; continue }
                if peekByte() == UInt8(ascii: "}") { position += 1; break }
                throw failure("expected ',' or '}' after a value")
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected text after the closing '}'") }
        return (text, label, keys)
    }

    /// Reads a wanted value: strings are decoded, arrays of strings kept, other kinds only named.
    private mutating func readValue(field: String) throws -> Value {
        switch peekByte() {
        case UInt8(ascii: "\""):
            return .string(try readDecodedString(field: field))
        case UInt8(ascii: "["):
            position += 1
            var items: [String] = []
            var allStrings = true
            skipWhitespace()
            if peekByte() == UInt8(ascii: "]") { position += 1; return .strings([]) }
            while true {
                skipWhitespace()
                if peekByte() == UInt8(ascii: "\"") {
                    items.append(try readDecodedString(field: field))
                } else {
                    allStrings = false
                    try skipValue(depth: 1)
                }
                skipWhitespace()
                if peekByte() == UInt8(ascii: ",") { position += 1; continue }
                if peekByte() == UInt8(ascii: "]") { position += 1; break }
                throw failure("expected ',' or ']' in the array of field '\(field)'")
            }
            return allStrings ? .strings(items) : .other("an array with non-string elements")
        default:
            let start = position
            try skipValue(depth: 0)
            switch bytes[start] {
            case UInt8(ascii: "n"): return .null
            case UInt8(ascii: "t"), UInt8(ascii: "f"): return .other("a boolean")
            case UInt8(ascii: "{"): return .other("an object")
            default: return .other("a number")
            }
        }
    }

    /// Reads a string value and returns it trimmed, checked as UTF-8.
    private mutating func readDecodedString(field: String) throws -> String {
        try readStringIntoScratch()
        return try FieldDecoding.string(scratch, at: location, field: field)
    }

    /// Skips one value of any kind, checking its structure.
    private mutating func skipValue(depth: Int) throws {
        guard depth <= Self.maxNestingDepth else { throw failure("values nested deeper than \(Self.maxNestingDepth) levels") }
        guard let byte = peekByte() else { throw failure("the line ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "\""):
            try readStringIntoScratch()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipWhitespace()
            if peekByte() == close { position += 1; return }
            while true {
                skipWhitespace()
                if close == UInt8(ascii: "}") {
                    guard peekByte() == UInt8(ascii: "\"") else { throw failure("expected a field name in double quotes") }
                    try readStringIntoScratch()
                    skipWhitespace()
                    guard peekByte() == UInt8(ascii: ":") else { throw failure("expected ':' after a field name") }
                    position += 1
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peekByte() == UInt8(ascii: ",") { position += 1; continue }
                if peekByte() == close { position += 1; return }
                throw failure("expected ',' or '\(String(UnicodeScalar(close)))'")
            }
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            while let next = peekByte(), next == UInt8(ascii: "-") || next == UInt8(ascii: "+") || next == UInt8(ascii: ".")
                || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
            {
                position += 1
            }
            if position == start { throw failure("invalid number") }
        default:
            throw failure("unexpected '\(String(decoding: [byte], as: UTF8.self))' where a value was expected (strings need double quotes)")
        }
    }

    /// Reads the string literal at the current position into `scratch`, reusing its storage.
    private mutating func readStringIntoScratch() throws {
        // Swap the buffer out so that filling it does not overlap the access to `self` that reading needs.
        var buffer: [UInt8] = []
        swap(&buffer, &scratch)
        buffer.removeAll(keepingCapacity: true)
        defer { swap(&buffer, &scratch) }
        try readString(into: &buffer)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        let matches = position + count <= bytes.count
            && (0..<count).allSatisfy { bytes[position + $0] == literal.utf8Start[$0] }
        guard matches else { throw failure("invalid literal (expected \(literal))") }
        position += count
    }

    /// The byte `offset` places after the current position, or nil past the end of the line.
    @inline(__always)
    func peekByte(offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    /// Moves the current position forward by `count` bytes.
    @inline(__always)
    mutating func advance(_ count: Int) {
        position += count
    }

    private mutating func skipWhitespace() {
        while let byte = peekByte(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }

    /// The 1-based column of the current position, for messages.
    var column: Int { position + 1 }

    /// A `malformedJSON` error at `column` (by default the current one).
    func failure(_ reason: String, column: Int? = nil) -> DatasetError {
        .malformedJSON(location, reason: "\(reason) at column \(column ?? self.column)")
    }
}
