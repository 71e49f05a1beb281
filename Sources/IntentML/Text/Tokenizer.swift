/// Splits normalised text into tokens in any script, without language-specific rules.
///
/// - Letters, marks and digits form words (Latin, Cyrillic, Arabic, Devanagari, Hangul, ...).
/// - Punctuation and symbols become one-character tokens, so `what's?` gives `what`, `'`, `s`, `?`.
/// - Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) give one token per
///   character; word bigrams and character n-grams then recover their words without a dictionary.
public enum Tokenizer {
    /// The role of one scalar in tokenisation.
    @usableFromInline
    enum ScalarClass {
        case separator, word, single
    }

    /// Token boundaries of `scalars`, as half-open ranges appended to `tokens` (a reused buffer).
    public static func tokenize(_ scalars: [Unicode.Scalar], into tokens: inout [Range<Int>]) {
        var start = -1
        for (index, scalar) in scalars.enumerated() {
            switch classify(scalar) {
            case .word:
                if start < 0 { start = index }
            case .separator:
                if start >= 0 { tokens.append(start..<index); start = -1 }
            case .single:
                if start >= 0 { tokens.append(start..<index); start = -1 }
                tokens.append(index..<(index + 1))
            }
        }
        if start >= 0 { tokens.append(start..<scalars.count) }
    }

    /// The tokens of `text` after normalisation, as strings (for tests, explanations and tools).
    public static func tokens(of text: String) -> [String] {
        var scalars: [Unicode.Scalar] = []
        TextNormalizer.appendNormalizedScalars(of: text, to: &scalars)
        var ranges: [Range<Int>] = []
        tokenize(scalars, into: &ranges)
        return ranges.map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    @inlinable
    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = scalar.value
        if value < 0x80 {
            // ASCII fast path: no property look-ups.
            switch value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
            case 0x00...0x20, 0x7F: return .separator
            default: return .single
            }
        }
        return classifyNonASCII(scalar)
    }

    /// The Unicode-property path, kept out of line: the property types' metadata it needs cost more than
    /// the ASCII switch itself when they were set up on every call.
    @usableFromInline @inline(never)
    static func classifyNonASCII(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = scalar.value
        if isUnspacedScript(value) { return .single }
        let properties = scalar.properties
        if properties.isWhitespace || properties.generalCategory == .control || properties.generalCategory == .format {
            // Zero-width joiners and similar format characters sit inside words in some scripts.
            if properties.generalCategory == .format && (value == 0x200C || value == 0x200D) { return .word }
            return .separator
        }
        if properties.isAlphabetic || properties.numericType != nil { return .word }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return .word
        default: return .single
        }
    }

    /// Scripts that do not separate words with spaces (ranges from the Unicode blocks).
    @inlinable
    static func isUnspacedScript(_ value: UInt32) -> Bool {
        switch value {
        case 0x0E00...0x0EFF: return true  // Thai, Lao
        case 0x1000...0x109F: return true  // Myanmar
        case 0x1780...0x17FF: return true  // Khmer
        case 0x3040...0x30FF: return true  // Hiragana, Katakana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return true  // Han
        case 0x20000...0x3134F: return true  // Han extensions
        default: return false
        }
    }
}
