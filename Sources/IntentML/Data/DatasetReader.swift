/// Streams the records of a dataset file (TSV, CSV, JSONL or plain text) one at a time, in constant memory.
///
/// The file is read in chunks of `chunkSize` bytes and split into lines on bytes; only the sentence and
/// label fields become `String`s, after a strict UTF-8 check. Blank lines are skipped; CRLF line ends, a
/// UTF-8 byte order mark and a last line without a newline are accepted. The path `-` is standard input.
///
///     try DatasetReader(path: "data/train.tsv", options: DatasetOptions(format: .tsv)).forEachRecord { record in
///         print(record.source, record.text, record.rawLabel ?? "-")
///     }
///
/// Every problem is a `DatasetError` naming the file, the line and the field.
public struct DatasetReader: Sendable {
    /// Bytes read at a time: large enough to amortise system calls, small enough to stay in cache.
    public static let defaultChunkSize = 64 * 1024
    /// Longest physical line accepted (16 MiB): far above any sentence, low enough that a binary file
    /// read by mistake fails fast instead of filling memory.
    public static let defaultMaxLineBytes = 16 * 1024 * 1024
    /// The first line of a TSV file that is a header rather than a record.
    static let tsvHeader: [UInt8] = Array("text\tlabel".utf8)

    /// The path as given; `-` means standard input.
    public let path: String
    /// How to parse the file.
    public let options: DatasetOptions
    /// Bytes read at a time (tests use tiny chunks to exercise records that straddle chunks).
    public let chunkSize: Int
    /// Longest physical line accepted, in bytes.
    public let maxLineBytes: Int

    /// A reader of `path` (`-` for standard input) with `options`; nothing is opened until it is used.
    public init(
        path: String, options: DatasetOptions,
        chunkSize: Int = DatasetReader.defaultChunkSize, maxLineBytes: Int = DatasetReader.defaultMaxLineBytes
    ) {
        self.path = path
        self.options = options
        self.chunkSize = max(1, chunkSize)
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The name used in source locations and messages: the path, or `<stdin>`.
    public var displayName: String { lineReader.displayName }

    var lineReader: ByteLineReader {
        ByteLineReader(path: path, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    }

    /// Calls `body` with each record in file order; stops at the first error (from the file or from `body`).
    ///
    /// - Throws: `DatasetError` for a missing, unreadable or malformed file; whatever `body` throws.
    public func forEachRecord(_ body: (DatasetRecord) throws -> Void) throws {
        switch options.format {
        case .txt:
            guard !options.requireLabels else {
                throw DatasetError.formatHasNoLabels(path: displayName, format: .txt)
            }
            try forEachTextRecord(body)
        case .tsv:
            try forEachTSVRecord(body)
        case .csv:
            try forEachCSVRecord(body)
        case .jsonl:
            try forEachJSONLRecord(body)
        }
    }

    /// All records of `path` as labelled examples; every record must have a non-empty label.
    ///
    /// - Throws: `DatasetError`, including `noRecords` for a file without any.
    public static func readExamples(path: String, options: DatasetOptions) throws -> [LabeledExample] {
        var options = options
        options.requireLabels = true
        let reader = DatasetReader(path: path, options: options)
        var examples: [LabeledExample] = []
        try reader.forEachRecord { record in
            if let example = record.labeledExample(separator: options.labelSeparator) { examples.append(example) }
        }
        guard !examples.isEmpty else { throw DatasetError.noRecords(path: reader.displayName) }
        return examples
    }

    /// Plain text: every non-blank line is one sentence.
    private func forEachTextRecord(_ body: (DatasetRecord) throws -> Void) throws {
        let file = displayName
        try lineReader.forEachLine { line, number in
            if FieldDecoding.isBlank(line) { return }
            let text = try FieldDecoding.string(line, at: SourceLocation(file: file, line: number), field: "text")
            try body(DatasetRecord(text: text, rawLabel: nil, source: SourceLocation(file: file, line: number)))
        }
    }

    /// TSV: `text<TAB>label`, an optional `text\tlabel` header line first.
    private func forEachTSVRecord(_ body: (DatasetRecord) throws -> Void) throws {
        let file = displayName
        var sawFirstLine = false
        try lineReader.forEachLine { line, number in
            if FieldDecoding.isBlank(line) { return }
            if !sawFirstLine {
                sawFirstLine = true
                if line.elementsEqual(Self.tsvHeader) { return }
            }
            let location = SourceLocation(file: file, line: number)
            let firstTab = line.firstIndex(of: 0x09)
            guard let firstTab else {
                if options.requireLabels { throw DatasetError.missingTab(location) }
                let text = try FieldDecoding.string(line, at: location, field: "text")
                try body(try record(text: text, rawLabel: nil, at: location, textField: "text", labelField: "label"))
                return
            }
            let rest = UnsafeBufferPointer(rebasing: line[(firstTab + 1)...])
            var labelBytes = rest
            if let secondTab = rest.firstIndex(of: 0x09) {
                if options.requireLabels {
                    let fields = line.reduce(1) { $0 + ($1 == 0x09 ? 1 : 0) }
                    throw DatasetError.wrongFieldCount(location, format: .tsv, expected: 2, found: fields)
                }
                // Prediction input may carry more columns after the label; they are ignored.
                labelBytes = UnsafeBufferPointer(rebasing: rest[..<secondTab])
            }
            let text = try FieldDecoding.string(UnsafeBufferPointer(rebasing: line[..<firstTab]), at: location, field: "text")
            let label = try FieldDecoding.string(labelBytes, at: location, field: "label")
            try body(try record(text: text, rawLabel: label, at: location, textField: "text", labelField: "label"))
        }
    }

    /// Checks the text and label of a record the same way for every format.
    ///
    /// An empty label is an error when labels are required and no label (nil) otherwise.
    func record(
        text: String, rawLabel: String?, at location: SourceLocation, textField: String, labelField: String
    ) throws -> DatasetRecord {
        guard !text.isEmpty else { throw DatasetError.emptyText(location, field: textField) }
        var label = rawLabel
        if let rawLabel, rawLabel.isEmpty { label = nil }
        if options.requireLabels {
            guard let label, !LabelSet(parsing: label, separator: options.labelSeparator).isEmpty else {
                throw DatasetError.emptyLabel(location, field: labelField)
            }
        }
        return DatasetRecord(text: text, rawLabel: label, source: location)
    }
}
