/// What "blank" means for a text to classify, in one place for the server and its OpenAPI document.
///
/// Blank is every scalar white space in either sense clients meet: Unicode's White_Space property
/// (which has U+0085) and JSON Schema's `\s`, ECMA-262's (which has U+FEFF). Before this was one
/// definition, the server refused `"\u0085"` that the schema allowed and accepted `"\ufeff"` that the
/// schema refused.
enum BlankText {
    /// The blank scalars, as ranges.
    static let ranges: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0x85...0x85, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return ranges.contains { $0.contains(value) }
    }

    /// Whether `text` has nothing but blank scalars (or nothing at all).
    static func isBlank(_ text: String) -> Bool {
        !text.unicodeScalars.contains { !isBlank($0) }
    }

    /// The JSON Schema `pattern` a text must match: one scalar that is not blank (`[^...]`, with `\uXXXX`
    /// escapes, which ECMA-262 and Python regular expressions read alike). As it appears inside a JSON string.
    static var openAPIPattern: String {
        func escape(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        let classes = ranges.map { $0.lowerBound == $0.upperBound ? escape($0.lowerBound) : escape($0.lowerBound) + "-" + escape($0.upperBound) }
        return "[^" + classes.joined() + "]"
    }
}
