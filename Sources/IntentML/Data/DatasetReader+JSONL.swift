/// JSON Lines input: one object per line, `{"text": "...", "label": "..."}`; the label may be an array.
extension DatasetReader {
    /// Reads JSONL records with `JSONLineScanner`; array labels are joined with the label separator.
    func forEachJSONLRecord(_ body: (DatasetRecord) throws -> Void) throws {
        let file = displayName
        let textKey = Array(options.textColumn.utf8)
        let labelKey = Array(options.labelColumn.utf8)
        let separator = String(options.labelSeparator)
        try lineReader.forEachLine { line, number in
            if FieldDecoding.isBlank(line) { return }
            let location = SourceLocation(file: file, line: number)
            var scanner = JSONLineScanner(line: line, location: location)
            let values = try scanner.scan(textKey: textKey, labelKey: labelKey)
            let text: String
            switch values.text {
            case .string(let value):
                text = value
            case nil:
                throw missingField(options.textColumn, option: "--text-column", line: line, location: location)
            case .null:
                throw DatasetError.malformedJSON(location, reason: "field '\(options.textColumn)' is null; it must be a string")
            case .strings:
                throw DatasetError.malformedJSON(location, reason: "field '\(options.textColumn)' is an array; it must be a string")
            case .other(let kind):
                throw DatasetError.malformedJSON(location, reason: "field '\(options.textColumn)' is \(kind); it must be a string")
            }
            var label: String?
            switch values.label {
            case .string(let value):
                label = value
            case .strings(let parts):
                label = parts.filter { !$0.isEmpty }.joined(separator: separator)
            case nil:
                if options.requireLabels {
                    throw missingField(options.labelColumn, option: "--label-column", line: line, location: location)
                }
            case .null:
                // A null label is an unlabelled record: `record(...)` refuses it when labels are required.
                label = nil
            case .other(let kind):
                throw DatasetError.malformedJSON(
                    location, reason: "field '\(options.labelColumn)' is \(kind); it must be a string or an array of strings")
            }
            try body(try record(text: text, rawLabel: label, at: location,
                                textField: options.textColumn, labelField: options.labelColumn))
        }
    }

    /// A `missingField` error listing the fields the line does have (scanned again: this is the error path).
    private func missingField(
        _ field: String, option: String, line: UnsafeBufferPointer<UInt8>, location: SourceLocation
    ) -> DatasetError {
        var scanner = JSONLineScanner(line: line, location: location)
        let keys = (try? scanner.scan(textKey: [], labelKey: [], collectKeys: true).keys) ?? []
        return .missingField(location, field: field, option: option, available: keys)
    }
}
