/// JSON string escapes (RFC 8259 section 7): `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX`,
/// with UTF-16 surrogate pairs joined into one code point.
///
/// The one decoder behind both hand-written JSON readers: the JSON Lines dataset scanner here and the
/// HTTP API's request-body reader. Each turns a `Failure` into its own error type (with a column or a
/// byte offset), so the messages stay the same in both.
public enum JSONEscape {
    /// Why an escape could not be decoded.
    public enum Failure: Error, Equatable, CustomStringConvertible, Sendable {
        /// The input ends after the backslash.
        case truncated
        /// `\u` is not followed by four hex digits.
        case badHexDigits
        /// A high surrogate without a low one after it, or a low one alone.
        case unpairedSurrogate(UInt32)
        /// A letter after the backslash that JSON does not define.
        case invalidEscape(UInt8)

        public var description: String {
            switch self {
            case .truncated: return "unterminated escape sequence"
            case .badHexDigits: return "\\u needs four hex digits"
            case .unpairedSurrogate(let value): return "unpaired UTF-16 surrogate \\u\(String(value, radix: 16))"
            case .invalidEscape(let byte): return "invalid escape '\\\(String(decoding: [byte], as: UTF8.self))'"
            }
        }
    }

    /// Decodes the escape whose letter is at `bytes[position]` (the backslash just before it), appends
    /// its UTF-8 to `out`, and returns the position just after the escape.
    public static func decode(_ bytes: UnsafeRawBufferPointer, at position: Int, into out: inout [UInt8]) -> Result<Int, Failure> {
        guard position < bytes.count else { return .failure(.truncated) }
        let letter = bytes[position]
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(letter)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            guard var value = hexQuad(bytes, at: position + 1) else { return .failure(.badHexDigits) }
            var next = position + 5
            if (0xD800..<0xDC00).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate: together one code point.
                guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                      let low = hexQuad(bytes, at: next + 2), (0xDC00..<0xE000).contains(low) else {
                    return .failure(.unpairedSurrogate(value))
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            } else if (0xDC00..<0xE000).contains(value) {
                return .failure(.unpairedSurrogate(value))
            }
            // Every value left (below 0xD800, 0xE000...0xFFFF, or a joined pair) is a scalar.
            guard let scalar = Unicode.Scalar(value) else { return .failure(.unpairedSurrogate(value)) }
            out.append(contentsOf: scalar.utf8)
            return .success(next)
        default:
            return .failure(.invalidEscape(letter))
        }
        return .success(position + 1)
    }

    /// Four hex digits at `position`, or nil.
    static func hexQuad(_ bytes: UnsafeRawBufferPointer, at position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
