import IntentSupport
/// JSON string literals, their escapes decoded by `JSONEscape`.
extension JSONLineScanner {
    /// Reads the string literal at the current position (opening quote included) and appends its unescaped
    /// UTF-8 bytes to `out`. UTF-8 validity is checked later, only for the strings that are kept.
    mutating func readString(into out: inout [UInt8]) throws {
        precondition(peekByte() == UInt8(ascii: "\""), "readString starts at a quote")
        advance(1)
        while true {
            guard let byte = peekByte() else { throw failure("unterminated string (missing closing '\"')") }
            switch byte {
            case UInt8(ascii: "\""):
                advance(1)
                return
            case UInt8(ascii: "\\"):
                advance(1)
                try readEscape(into: &out)
            case 0x00..<0x20:
                throw failure("raw control character inside a string (write it as \\n, \\t or \\u00XX)")
            default:
                out.append(byte)
                advance(1)
            }
        }
    }

    /// Reads the escape after a backslash (`JSONEscape` decodes it); errors point at the backslash.
    private mutating func readEscape(into out: inout [UInt8]) throws {
        let escapeColumn = column - 1
        switch JSONEscape.decode(UnsafeRawBufferPointer(bytes), at: position, into: &out) {
        case .success(let next): position = next
        case .failure(let failure): throw self.failure(failure.description, column: escapeColumn)
        }
    }
}
