/// The JSON error shape both servers answer with: `{"error": {"code": "...", "message": "..."}}`.
public enum JSONErrorBody {
    /// The body's bytes, with `code` and `message` escaped as JSON strings.
    public static func bytes(code: String, message: String) -> [UInt8] {
        var out: [UInt8] = Array(#"{"error":{"code":"#.utf8)
        appendQuoted(code, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        appendQuoted(message, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259).
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
