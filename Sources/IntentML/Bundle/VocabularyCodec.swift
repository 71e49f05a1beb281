import Foundation

/// `vocabulary.txt` of a bundle: one word and its training count per line, in the vocabulary's order.
///
/// Line 1 is a header (`# ...`); every later line is `word<TAB>count`. From bundle format 2 the word is
/// escaped, so that any token, whatever a tokenizer makes of `#`, tabs, backslashes, line separators or
/// control characters, is one line and comes back with the same scalars:
/// `\\` is a backslash, `\t`, `\n`, `\r` are tab, line feed and carriage return, and `\u{HEX}` is any other
/// control, format, white-space or line-separator scalar. Lines are split on the byte 0x0A alone, never
/// on grapheme clusters, so a word that starts with a combining mark stays its own line.
///
/// Format 1 wrote words raw. It is still read: its only header was line 1, so the words `#`, `#tag`, ...
/// that format 1 wrote on later lines are words, not comments (earlier readers dropped them).
enum VocabularyCodec {
    /// The vocabulary as format-2 file bytes.
    static func encode(_ vocabulary: Vocabulary) -> Data {
        var text = "# intentops vocabulary: escaped word<TAB>count, min_count=\(vocabulary.minCount)\n"
        for (word, count) in zip(vocabulary.words, vocabulary.counts) {
            appendEscaped(word, to: &text)
            text += "\t\(count)\n"
        }
        return Data(text.utf8)
    }

    /// Reads a vocabulary file written in bundle format `formatVersion`; `path` names it in errors.
    static func decode(_ data: Data, formatVersion: Int, minCount: Int, path: String) throws -> Vocabulary {
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard let header = lines.first, header.first == UInt8(ascii: "#") else {
            throw ModelBundleError.inconsistent(path: path, reason: "line 1 is not the '# ...' header of a vocabulary file")
        }
        var words: [String] = [], counts: [Int] = []
        var seen: [[Unicode.Scalar]: Int] = [:]
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            if line.isEmpty {
                // The file ends with a line feed; an empty line anywhere else is damage.
                if offset == lines.count - 1 { break }
                throw ModelBundleError.inconsistent(path: path, reason: "line \(number) is empty")
            }
            guard let tab = line.lastIndex(of: 0x09) else {
                throw ModelBundleError.inconsistent(path: path, reason: "line \(number) is not word<TAB>count")
            }
            guard let raw = String(validating: line[line.startIndex..<tab], as: UTF8.self) else {
                throw ModelBundleError.inconsistent(path: path, reason: "line \(number) is not UTF-8")
            }
            guard let count = Int(String(decoding: line[(tab + 1)...], as: UTF8.self)), count >= 0 else {
                throw ModelBundleError.inconsistent(path: path, reason: "line \(number) has no count after the tab")
            }
            let word = formatVersion >= 2 ? try unescape(raw, line: number, path: path) : raw
            guard !word.isEmpty else { throw ModelBundleError.inconsistent(path: path, reason: "line \(number) has an empty word") }
            // Compare scalars, not Strings: String equality would merge canonically equivalent spellings.
            let scalars = Array(word.unicodeScalars)
            if let first = seen[scalars] {
                throw ModelBundleError.inconsistent(path: path, reason: "line \(number) repeats the word of line \(first)")
            }
            seen[scalars] = number
            words.append(word)
            counts.append(count)
        }
        return Vocabulary(words: words, counts: counts, minCount: minCount)
    }

    /// Whether `scalar` is written as an escape: anything that could split, hide or end a line.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value < 0x20 || value == 0x7F || value == 0x5C }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: return true
        default: return properties.isWhitespace
        }
    }

    static func appendEscaped(_ word: String, to text: inout String) {
        guard word.unicodeScalars.contains(where: needsEscape) else {
            text += word
            return
        }
        var view = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            guard needsEscape(scalar) else {
                view.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\\": escape = "\\\\"
            case "\t": escape = "\\t"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            default: escape = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            view.append(contentsOf: escape.unicodeScalars)
        }
        text.unicodeScalars.append(contentsOf: view)
    }

    static func unescape(_ raw: String, line: Int, path: String) throws -> String {
        guard raw.utf8.contains(0x5C) else { return raw }
        func damaged(_ what: String) -> ModelBundleError {
            .inconsistent(path: path, reason: "line \(line) has \(what)")
        }
        var result = String.UnicodeScalarView()
        var scalars = raw.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                result.append(scalar)
                continue
            }
            switch scalars.next() {
            case "\\": result.append("\\")
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "u":
                guard scalars.next() == "{" else { throw damaged("a \\u escape without '{'") }
                var hex = ""
                while true {
                    guard let digit = scalars.next() else { throw damaged("a \\u{ escape without '}'") }
                    if digit == "}" { break }
                    hex.unicodeScalars.append(digit)
                    guard hex.unicodeScalars.count <= 6 else { throw damaged("a \\u{...} escape longer than 6 digits") }
                }
                guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                    throw damaged("the escape \\u{\(hex)}, which is not a Unicode scalar")
                }
                result.append(decoded)
            case let other?:
                throw damaged("the unknown escape \\\(other)")
            case nil:
                throw damaged("a backslash at its end")
            }
        }
        return String(result)
    }
}
