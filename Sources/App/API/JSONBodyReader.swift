import Foundation
import IntentSupport
import IntentML

/// A cursor over a JSON document's bytes (RFC 8259), for the few shapes the API reads.
struct JSONBodyReader {
    /// Deepest nesting skipped inside an unknown field: far beyond any real client, and it bounds the
    /// recursion a hostile body can cause.
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    func syntaxError(_ reason: String) -> APIError {
        APIError.invalidJSON("the body is not valid JSON: \(reason) at byte \(position)")
    }
    static func wrongType(_ field: String, _ expected: String) -> APIError {
        APIError.invalidJSON("field '\(field)' has the wrong type (expected \(expected))")
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(APIError) {
        skipWhitespace()
        guard peek() == byte else { throw syntaxError(atEnd ? "the body ends early (expected \(what))" : "expected \(what)") }
        position += 1
    }

    /// Calls `body` with each key of an object, positioned at its value.
    mutating func readObject(_ body: (String, inout JSONBodyReader) throws(APIError) -> Void) throws(APIError) {
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw syntaxError(atEnd ? "the body ends early" : "expected a quoted key") }
            let key = try readRawString()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            try body(key, &self)
            if try atClose(UInt8(ascii: "}")) { return }
        }
    }

    /// Calls `element` with the index of each element of an array, positioned at it.
    mutating func readArray(_ element: (Int, inout JSONBodyReader) throws(APIError) -> Void) throws(APIError) {
        try expect(UInt8(ascii: "["), "'['")
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return }
        var index = 0
        while true {
            skipWhitespace()
            try element(index, &self)
            index += 1
            if try atClose(UInt8(ascii: "]")) { return }
        }
    }

    /// After a member or an element: true past `close`, false past a comma; anything else is an error.
    private mutating func atClose(_ close: UInt8) throws(APIError) -> Bool {
        skipWhitespace()
        let expected = "',' or '\(Character(Unicode.Scalar(close)))'"
        switch peek() {
        case UInt8(ascii: ","): position += 1; return false
        case close: position += 1; return true
        case nil: throw syntaxError("the body ends early (expected \(expected))")
        default: throw syntaxError("expected \(expected)")
        }
    }

    mutating func readString(field: String) throws(APIError) -> String {
        guard peek() == UInt8(ascii: "\"") else { try rejectValue(field: field, expected: "a string") }
        return try readRawString()
    }

    mutating func readStringArray(field: String) throws(APIError) -> [String] {
        guard peek() == UInt8(ascii: "[") else { try rejectValue(field: field, expected: "an array of strings") }
        var values: [String] = []
        try readArray { index, reader throws(APIError) in values.append(try reader.readString(field: "\(field)[\(index)]")) }
        return values
    }

    /// A JSON number with no fractional value (`3`, `3.0` and `3e0` alike, as JSON Schema's `integer`);
    /// values beyond Int's range saturate, so the caller's range check words the error.
    mutating func readInteger(field: String) throws(APIError) -> Int {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            try rejectValue(field: field, expected: "a whole number")
        }
        let start = position
        try scanNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if let exact = Int(text) { return exact }
        guard let value = Double(text), value.isFinite, value.rounded() == value else {
            throw Self.wrongType(field, "a whole number")
        }
        if value >= Double(Int.max) { return Int.max }
        if value <= Double(Int.min) { return Int.min }
        return Int(value)
    }

    mutating func readBool(field: String) throws(APIError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): try readLiteral("true"); return true
        case UInt8(ascii: "f"): try readLiteral("false"); return false
        default: try rejectValue(field: field, expected: "true or false")
        }
    }

    /// A value of the wrong type: a syntax error if it is not JSON at all, else a type error.
    private mutating func rejectValue(field: String, expected: String) throws(APIError) -> Never {
        try skipValue(depth: 0)
        throw Self.wrongType(field, expected)
    }

    /// Skips one value of any type, checking its syntax.
    mutating func skipValue(depth: Int) throws(APIError) {
        guard depth < Self.maxDepth else { throw syntaxError("nested deeper than \(Self.maxDepth) levels") }
        skipWhitespace()
        guard let first = peek() else { throw syntaxError("the body ends early (expected a value)") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try readRawString()
        case UInt8(ascii: "{"):
            try readObject { _, reader throws(APIError) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try readArray { _, reader throws(APIError) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): try readLiteral("true")
        case UInt8(ascii: "f"): try readLiteral("false")
        case UInt8(ascii: "n"): try readLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw syntaxError("expected a value")
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws(APIError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count, let base = bytes.baseAddress,
              memcmp(base + position, literal.utf8Start, count) == 0 else {
            throw syntaxError("expected '\(literal)'")
        }
        position += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func scanNumber() throws(APIError) {
        func digits(_ reader: inout JSONBodyReader) -> Int {
            let start = reader.position
            while let byte = reader.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { reader.position += 1 }
            return reader.position - start
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else if digits(&self) == 0 {
            throw syntaxError("invalid number")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw syntaxError("invalid number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw syntaxError("invalid number") }
        }
    }

    /// A quoted string, escapes decoded; the bytes must be UTF-8 and `\u` escapes proper scalars.
    private mutating func readRawString() throws(APIError) -> String {
        position += 1 // the opening quote
        let start = position
        // Fast path: no escapes, so the bytes are the string.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return try Self.validated(slice, at: start)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw syntaxError("a control character inside a string (escape it)") }
            position += 1
        }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: out, as: UTF8.self) else {
                    throw APIError.invalidJSON("the body is not valid UTF-8 (in the string starting at byte \(start))")
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &out)
            case 0..<0x20:
                throw syntaxError("a control character inside a string (escape it)")
            default:
                out.append(byte)
                position += 1
            }
        }
        throw syntaxError("the body ends inside a string")
    }

    private static func validated(_ buffer: UnsafeRawBufferPointer, at start: Int) throws(APIError) -> String {
        guard let string = String(validating: buffer.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw APIError.invalidJSON("the body is not valid UTF-8 (in the string starting at byte \(start))")
        }
        return string
    }

    /// The escape after a backslash, decoded by IntentML's `JSONEscape` (the dataset reader's too).
    private mutating func readEscape(into out: inout [UInt8]) throws(APIError) {
        switch JSONEscape.decode(bytes, at: position, into: &out) {
        case .success(let next): position = next
        case .failure(let failure): throw syntaxError("\(failure)")
        }
    }
}
