/// CSV input: a header row names the columns; the sentence and label columns are chosen by name.
extension DatasetReader {
    /// Reads CSV records with `CSVRecordParser`; every row must have as many fields as the header.
    func forEachCSVRecord(_ body: (DatasetRecord) throws -> Void) throws {
        let file = displayName
        var parser = CSVRecordParser(file: file)
        var header: [String]?
        var textIndex = 0
        var labelIndex: Int?
        try lineReader.forEachLine { line, number in
            guard let fields = try parser.consume(line: line, number: number) else { return }
            let location = parser.recordLocation
            guard let columns = header else {
                let found = try Self.columns(in: fields, options: options, location: location)
                header = fields
                parser.columnNames = fields
                textIndex = found.text
                labelIndex = found.label
                return
            }
            guard fields.count == columns.count else {
                throw DatasetError.wrongFieldCount(location, format: .csv, expected: columns.count, found: fields.count)
            }
            let label = labelIndex.map { fields[$0] }
            try body(try record(text: fields[textIndex], rawLabel: label, at: location,
                                textField: options.textColumn, labelField: options.labelColumn))
        }
        try parser.finish()
    }

    /// The indices of the text and label columns in `header`.
    ///
    /// - Throws: `missingColumn` for the text column, and for the label column when labels are required.
    private static func columns(
        in header: [String], options: DatasetOptions, location: SourceLocation
    ) throws -> (text: Int, label: Int?) {
        guard let text = header.firstIndex(of: options.textColumn) else {
            throw DatasetError.missingColumn(location, column: options.textColumn, option: "--text-column", available: header)
        }
        let label = header.firstIndex(of: options.labelColumn)
        if label == nil && options.requireLabels {
            throw DatasetError.missingColumn(location, column: options.labelColumn, option: "--label-column", available: header)
        }
        return (text, label)
    }
}
