import Foundation

/// Normalises text before tokenisation: Unicode NFKC, case folding and white-space collapsing.
///
/// NFKC maps compatibility forms (full-width Latin, ligatures, superscripts) to their plain letters, and case
/// folding removes case in every script that has it; accents are kept because they carry meaning in many
/// languages. ASCII input, the common case, takes a fast path that allocates nothing.
public enum TextNormalizer {
    /// The normalised form of `text`, with runs of white space collapsed to one space and no ends.
    public static func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        appendNormalizedScalars(of: text, to: &scalars)
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Appends the NFKC, case-folded scalars of `text` to `output` (white space not yet collapsed).
    ///
    /// This is the hot-path entry used by `FeatureExtractor`; `output` is a reused buffer.
    public static func appendNormalizedScalars(of text: String, to output: inout [Unicode.Scalar]) {
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            // NFKC is the identity on ASCII and folding is a lowercase of A-Z.
            for byte in text.utf8 { output.append(foldedASCII(byte)) }
            return
        }
        // Most text in other scripts is already its own normal form: when every non-ASCII scalar is
        // stable (`isStable`), only A-Z change, and Foundation (the slow part of predicting such text) is
        // not called.
        let start = output.count
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                output.append(foldedASCII(UInt8(scalar.value)))
            } else if isStable(scalar) {
                output.append(scalar)
            } else {
                output.removeSubrange(start...)
                output.append(contentsOf: foundationNormalized(text))
                return
            }
        }
    }

    /// An ASCII byte's normal form: NFKC is the identity on ASCII and folding lowercases A-Z.
    @inline(__always)
    static func foldedASCII(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar((byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte)
    }

    /// NFKC, Foundation's case-insensitive folding, then NFKC again: folding can produce non-NFKC
    /// sequences (for example a decomposed sharp s).
    static func foundationNormalized(_ text: String) -> String.UnicodeScalarView {
        text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping.unicodeScalars
    }

    /// True when `scalar` is left as it is by `foundationNormalized` beside ASCII and other stable
    /// scalars: it is its own NFKC case folding, Foundation's folding does not lowercase it (Foundation
    /// lowercases Cherokee capitals, which Unicode case folding keeps), it is a starter (combining class
    /// 0, so never reordered) and it is not a scalar that composes with what precedes it.
    /// `TextNormalizerTests` checks every stable scalar, every pair in the Hangul jamo blocks and random
    /// text of assigned scalars against Foundation.
    static func isStable(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.canonicalCombiningClass == .notReordered && !properties.changesWhenNFKCCaseFolded
            && !properties.changesWhenLowercased && !composesWithPrevious(scalar.value)
    }

    /// The starters that compose with the scalar before them: the second scalars of canonical
    /// decompositions (Indic vowel signs and length marks, Tibetan subjoined letters, Hangul vowel and
    /// final jamo), which the test derives from every scalar's decomposition, and U+1176, an archaic vowel
    /// jamo that CoreFoundation's Hangul composition takes in (its vowel range is one too wide: U+1100
    /// U+1176 becomes U+AE4C), which the test's pairs of jamo find.
    static func composesWithPrevious(_ value: UInt32) -> Bool {
        switch value {
        case 0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF,
             0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1161...0x1176, 0x11A8...0x11C2, 0x1B35, 0x11127, 0x1133E, 0x11357,
             0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930:
            return true
        default:
            return false
        }
    }
}
