/// JSON string literals: escapes, `\uXXXX` code points and UTF-16 surrogate pairs.
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

    /// Reads the escape after a backslash.
    private mutating func readEscape(into out: inout [UInt8]) throws {
        // Errors point at the backslash that starts the escape.
        let escapeColumn = column - 1
        guard let byte = peekByte() else { throw failure("unterminated escape sequence") }
        advance(1)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var value = try readHexQuad()
            if (0xD800..<0xDC00).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate: together one code point.
                guard peekByte() == UInt8(ascii: "\\"), peekByte(offset: 1) == UInt8(ascii: "u") else {
                    throw failure("unpaired UTF-16 surrogate \\u\(String(value, radix: 16))", column: escapeColumn)
                }
                advance(2)
                let low = try readHexQuad()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw failure("unpaired UTF-16 surrogate \\u\(String(value, radix: 16))", column: escapeColumn)
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(value) {
                throw failure("unpaired UTF-16 surrogate \\u\(String(value, radix: 16))", column: escapeColumn)
            }
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid code point", column: escapeColumn) }
            UTF8.encode(scalar) { out.append($0) }
        default:
            throw failure("invalid escape '\\\(String(decoding: [byte], as: UTF8.self))'", column: escapeColumn)
        }
    }

    /// Reads four hex digits.
    private mutating func readHexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peekByte() else { throw failure("\\u needs four hex digits") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            advance(1)
        }
        return value
    }
}
