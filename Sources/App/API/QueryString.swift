/// A query string read as `application/x-www-form-urlencoded` (the WHATWG URL standard's form), the way
/// browsers, HTML forms and `curl -G --data-urlencode` write it: `+` is a space, `%XX` a byte, and the
/// bytes UTF-8.
///
/// Strict where a lenient reader would answer a different text than the client sent: an invalid escape
/// (`%zz`, a lone `%`), bytes that are not UTF-8 (`%ff%fe`) and a parameter given twice are 400
/// `invalid_query`, each naming the parameter.
enum QueryString {
    /// The parameters of `query` (the part after `?`, without it) by name.
    static func parse(_ query: String) throws(APIError) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = try decode(pair[pair.startIndex..<equals], what: "a parameter name")
            let value = try decode(equals < pair.endIndex ? pair[pair.index(after: equals)...] : pair[equals..<equals], what: "parameter '\(name)'")
            guard parameters[name] == nil else {
                throw invalid("parameter '\(name)' is given twice; give it once")
            }
            parameters[name] = value
        }
        return parameters
    }

    private static func decode(_ encoded: Substring.UTF8View.SubSequence, what: String) throws(APIError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = encoded.index(after: index)
                guard high < encoded.endIndex, encoded.index(after: high) < encoded.endIndex,
                      let first = hexValue(encoded[high]), let second = hexValue(encoded[encoded.index(after: high)]) else {
                    let escape = String(decoding: encoded[index...].prefix(3), as: UTF8.self)
                    throw invalid("\(what) holds '\(escape)', which is not a %XX escape; write '%' itself as %25")
                }
                bytes.append(first << 4 | second)
                index = encoded.index(after: high)
            default:
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw invalid("\(what) is not UTF-8 once its %XX escapes are decoded; encode the text as UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func invalid(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_query", message: message)
    }
}
