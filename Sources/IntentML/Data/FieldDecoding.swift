/// Byte-level helpers shared by the dataset parsers: blank-line tests, white-space trimming, UTF-8 checks.
///
/// The parsers work on raw bytes so that only the fields a caller keeps become `String`s; these helpers keep
/// that rule in one place, and make sure invalid UTF-8 is reported instead of silently repaired.
enum FieldDecoding {
    /// Whether `byte` is ASCII white space (space, tab, LF, VT, FF, CR).
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Whether the line holds nothing but ASCII white space.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy(isASCIIWhitespace)
    }

    /// `bytes` without leading and trailing ASCII white space.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end && isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start && isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The trimmed bytes as a `String`, or `DatasetError.invalidUTF8` naming `field` at `location`.
    static func string(
        _ bytes: UnsafeBufferPointer<UInt8>, at location: @autoclosure () -> SourceLocation, field: @autoclosure () -> String
    ) throws -> String {
        guard let string = validatedString(trimmed(bytes)) else {
            throw DatasetError.invalidUTF8(location(), field: field())
        }
        return string
    }

    /// The trimmed bytes of an array as a `String` (see `string(_:at:field:)`).
    static func string(
        _ bytes: [UInt8], at location: @autoclosure () -> SourceLocation, field: @autoclosure () -> String
    ) throws -> String {
        try bytes.withUnsafeBufferPointer { try string($0, at: location(), field: field()) }
    }

    /// The bytes decoded as UTF-8, or nil when they are not valid UTF-8 (never a repaired string).
    static func validatedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if #available(macOS 15, *) {
            return String(validating: bytes, as: UTF8.self)
        }
        // Older macOS: decode (which repairs) and accept only if the round trip is byte-exact.
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.utf8.elementsEqual(bytes) ? decoded : nil
    }
}
