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
            for byte in text.utf8 {
                let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                output.append(Unicode.Scalar(folded))
            }
            return
        }
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: nil)
        // Folding can produce non-NFKC sequences (for example a decomposed sharp s); compose once more.
        output.append(contentsOf: folded.precomposedStringWithCompatibilityMapping.unicodeScalars)
    }
}
