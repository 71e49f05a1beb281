import IntentML

/// Writes predictions as JSON lines, CSV or TSV rows into a byte buffer, without Foundation's encoders
/// (they would dominate the cost of batch prediction).
struct PredictionFormatter: Sendable {
    enum Format: String, CaseIterable, Sendable {
        case jsonl, csv, tsv
    }

    let format: Format

    /// The header row, if the format has one.
    var header: String? {
        switch format {
        case .jsonl: return nil
        case .csv: return "text,intent,confidence,unknown,top_k\n"
        case .tsv: return "text\tintent\tconfidence\tunknown\ttop_k\n"
        }
    }

    /// Appends one row for `text` and its prediction.
    func append(text: String, prediction: Prediction, to out: inout [UInt8]) {
        switch format {
        case .jsonl:
            Self.appendJSONFields(text: text, prediction: prediction, to: &out)
            out.append(contentsOf: "}\n".utf8)
        case .csv, .tsv:
            let separator: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
            appendField(text, to: &out)
            out.append(separator)
            appendField(prediction.intent, to: &out)
            out.append(separator)
            out.append(contentsOf: JSONText.number(prediction.confidence).utf8)
            out.append(separator)
            out.append(contentsOf: (prediction.isUnknown ? "true" : "false").utf8)
            out.append(separator)
            appendField(prediction.topK.map { "\($0.label):\(JSONText.number($0.score))" }.joined(separator: "|"), to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// The fields of one prediction as an unclosed JSON object (`{"text":...,"top_k":[...]`), shared by
    /// `intent predict --format jsonl` and the HTTP API so that both answer exactly the same.
    static func appendJSONFields(text: String, prediction: Prediction, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"text":"#.utf8)
        JSONText.appendQuoted(text, to: &out)
        out.append(contentsOf: #","intent":"#.utf8)
        JSONText.appendQuoted(prediction.intent, to: &out)
        out.append(contentsOf: #","labels":["#.utf8)
        for (index, label) in prediction.labels.labels.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(label, to: &out)
        }
        out.append(contentsOf: #"],"confidence":"#.utf8)
        out.append(contentsOf: JSONText.number(prediction.confidence).utf8)
        out.append(contentsOf: #","unknown":"#.utf8)
        out.append(contentsOf: (prediction.isUnknown ? "true" : "false").utf8)
        out.append(contentsOf: #","top_k":["#.utf8)
        for (index, entry) in prediction.topK.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendEntry("label", entry.label, "score", entry.score, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// CSV fields are quoted when needed (RFC 4180); TSV fields get tabs and line breaks replaced by spaces.
    private func appendField(_ value: String, to out: inout [UInt8]) {
        if format == .tsv {
            for byte in value.utf8 { out.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte) }
            return
        }
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { out.append(contentsOf: value.utf8); return }
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Minimal JSON writing helpers shared by the batch writer (and later the HTTP API).
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `value` as a JSON string literal, escaping quotes, backslashes and control characters.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole; most strings are one run.
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(of: byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The JSON escape of a quote, a backslash or a control byte.
    private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default:
            out.append(contentsOf: Array(#"\u00"#.utf8))
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }

    /// Appends `{"<textKey>": text, ["<extra key>": extra value,] "<numberKey>": number[, "<key>": number]}`:
    /// one row of a top-k list or of an explanation.
    static func appendEntry(_ textKey: String, _ text: String, _ numberKey: String, _ value: Float,
                            extra: (key: String, value: String)? = nil, extraNumber: (key: String, value: Float)? = nil,
                            to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        appendQuoted(textKey, to: &out)
        out.append(UInt8(ascii: ":"))
        appendQuoted(text, to: &out)
        if let extra {
            out.append(UInt8(ascii: ","))
            appendQuoted(extra.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendQuoted(extra.value, to: &out)
        }
        out.append(UInt8(ascii: ","))
        appendQuoted(numberKey, to: &out)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: number(value).utf8)
        if let extraNumber {
            out.append(UInt8(ascii: ","))
            appendQuoted(extraNumber.key, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: number(extraNumber.value).utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A float as the shortest decimal that reads back as the same value; non-finite values become 0.
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "0"
    }
}
