/// Splits CSV lines into records of fields, following RFC 4180 quoting.
///
/// Feed physical lines in order with `consume(line:number:)`; it returns the fields of each complete record.
/// A quoted field may hold commas, doubled quotes (`""` for `"`) and line breaks, so one record can span
/// several lines: `consume` then returns nil until the closing quote arrives. Fields are trimmed of ASCII
/// white space. Two leniencies: spaces before an opening quote or after a closing one are ignored, and a
/// quote inside an unquoted field is kept as a literal character.
struct CSVRecordParser {
    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    /// The file name for source locations.
    let file: String
    /// Column names for messages, once the header is known; before that fields are named `column N`.
    var columnNames: [String] = []

    private var state = State.fieldStart
    private var inRecord = false
    private var recordStartLine = 0
    private var fields: [String] = []
    private var current: [UInt8] = []

    init(file: String) {
        self.file = file
    }

    /// The location of the record being parsed (its first line).
    var recordLocation: SourceLocation { SourceLocation(file: file, line: recordStartLine) }

    /// Parses one physical line; returns the record's fields when this line completes it, else nil.
    ///
    /// Blank lines outside a record are skipped (nil). Throws `malformedCSV` for text after a closing quote
    /// and `invalidUTF8` for a field that is not UTF-8.
    mutating func consume(line: UnsafeBufferPointer<UInt8>, number: Int) throws -> [String]? {
        if inRecord {
            // The line break belongs to the quoted field that is still open.
            current.append(0x0A)
        } else {
            if FieldDecoding.isBlank(line) { return nil }
            inRecord = true
            recordStartLine = number
            fields.removeAll(keepingCapacity: true)
            current.removeAll(keepingCapacity: true)
            state = .fieldStart
        }
        var index = 0
        while index < line.count {
            let byte = line[index]
            switch state {
            case .fieldStart:
                if byte == 0x22 {
                    current.removeAll(keepingCapacity: true)
                    state = .quoted
                } else if byte == 0x2C {
                    try endField()
                } else {
                    current.append(byte)
                    if !FieldDecoding.isASCIIWhitespace(byte) { state = .unquoted }
                }
            case .unquoted:
                if byte == 0x2C {
                    try endField()
                    state = .fieldStart
                } else {
                    current.append(byte)
                }
            case .quoted:
                if byte == 0x22 {
                    if index + 1 < line.count && line[index + 1] == 0x22 {
                        current.append(0x22)
                        index += 1
                    } else {
                        state = .afterQuote
                    }
                } else {
                    current.append(byte)
                }
            case .afterQuote:
                if byte == 0x2C {
                    try endField()
                    state = .fieldStart
                } else if !FieldDecoding.isASCIIWhitespace(byte) {
                    let character = String(decoding: [byte], as: UTF8.self)
                    throw DatasetError.malformedCSV(
                        SourceLocation(file: file, line: number),
                        reason: "unexpected '\(character)' after the closing quote of field '\(fieldName(fields.count))'")
                }
            }
            index += 1
        }
        if state == .quoted { return nil }
        try endField()
        inRecord = false
        state = .fieldStart
        return fields
    }

    /// Checks that no quoted field is left open at the end of the input.
    func finish() throws {
        guard inRecord else { return }
        throw DatasetError.malformedCSV(
            recordLocation,
            reason: "the quoted field '\(fieldName(fields.count))' opened in this record is never closed")
    }

    private mutating func endField() throws {
        let value = try FieldDecoding.string(current, at: recordLocation, field: fieldName(fields.count))
        fields.append(value)
        current.removeAll(keepingCapacity: true)
    }

    /// The header name of field `index`, or `column N` (1-based) when there is none.
    private func fieldName(_ index: Int) -> String {
        index < columnNames.count ? columnNames[index] : "column \(index + 1)"
    }
}
