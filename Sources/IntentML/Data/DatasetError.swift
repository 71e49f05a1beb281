/// Why a dataset file cannot be read: each message says what failed, where (file:line, field) and what to do.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at `path`.
    case fileNotFound(path: String)
    /// `path` exists but cannot be opened or read (a directory, no permission, an I/O error).
    case unreadable(path: String, reason: String)
    /// The format cannot be told from the file name (`fileExtension` is empty when there is none).
    case unknownFormat(path: String, fileExtension: String)
    /// Labels are required but the format has none (plain text).
    case formatHasNoLabels(path: String, format: DatasetFormat)
    /// A field is not valid UTF-8.
    case invalidUTF8(SourceLocation, field: String)
    /// A physical line is longer than the reader's `maxLineBytes`.
    case lineTooLong(SourceLocation, limit: Int)
    /// The CSV header lacks a column; `available` lists the columns it has.
    case missingColumn(SourceLocation, column: String, option: String, available: [String])
    /// A JSON line lacks a field; `available` lists the fields it has.
    case missingField(SourceLocation, field: String, option: String, available: [String])
    /// A TSV line has no TAB between sentence and label.
    case missingTab(SourceLocation)
    /// A TSV or CSV line has the wrong number of fields.
    case wrongFieldCount(SourceLocation, format: DatasetFormat, expected: Int, found: Int)
    /// The sentence is empty or only white space.
    case emptyText(SourceLocation, field: String)
    /// The label is empty, only white space, or only separators.
    case emptyLabel(SourceLocation, field: String)
    /// A JSON line is not a JSON object of the expected shape.
    case malformedJSON(SourceLocation, reason: String)
    /// A CSV record breaks RFC 4180 quoting.
    case malformedCSV(SourceLocation, reason: String)
    /// The file holds no records at all.
    case noRecords(path: String)

    /// The message shown to the user: what failed, where, and what to do.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "dataset file not found: \(path). Check the path (it is relative to the current directory)."
        case let .unreadable(path, reason):
            return "cannot read dataset file \(path): \(reason). Check that it is a readable regular file."
        case let .unknownFormat(path, ext):
            let known = DatasetFormat.allCases.flatMap { $0.fileExtensions }.map { "." + $0 }.joined(separator: ", ")
            let what = ext.isEmpty ? "has no file extension" : "has the unknown extension '.\(ext)'"
            return "cannot tell the format of \(path == "-" ? "standard input" : path): it \(what). "
                + "Pass --input-format tsv|csv|jsonl|txt, or name the file with one of \(known)."
        case let .formatHasNoLabels(path, format):
            return "\(path) is read as \(format.rawValue), which has no labels, but labels are required here. "
                + "Use a labelled tsv, csv or jsonl file (or pass --input-format if the extension is misleading)."
        case let .invalidUTF8(location, field):
            return "\(location): field '\(field)' is not valid UTF-8. Re-save the file as UTF-8 "
                + "(for example `iconv -f latin1 -t utf-8`)."
        case let .lineTooLong(location, limit):
            return "\(location): line is longer than \(limit) bytes. Is this a text dataset? "
                + "Check the --input-format and that records are separated by newlines."
        case let .missingColumn(location, column, option, available):
            return "\(location): the CSV header has no column '\(column)'; it has \(Self.list(available)). "
                + "Pass \(option) with one of those, or add the column."
        case let .missingField(location, field, option, available):
            return "\(location): the JSON object has no field '\(field)'; it has \(Self.list(available)). "
                + "Pass \(option) with the right field name, or add the field."
        case .missingTab(let location):
            return "\(location): no TAB between sentence and label. Write each line as text<TAB>label "
                + "(a real tab character, not spaces)."
        case let .wrongFieldCount(location, format, expected, found):
            if format == .tsv {
                return "\(location): expected \(expected) tab-separated fields (text, label), found \(found). "
                    + "Remove the extra tab characters from the sentence."
            }
            return "\(location): expected \(expected) fields as in the header, found \(found). "
                + "Quote fields that contain commas, e.g. \"hello, world\"."
        case let .emptyText(location, field):
            return "\(location): the sentence (field '\(field)') is empty. Remove the line or write the sentence."
        case let .emptyLabel(location, field):
            return "\(location): the label (field '\(field)') is empty. Give the intent, e.g. book_flight, "
                + "or <unknown> for an out-of-domain sentence."
        case let .malformedJSON(location, reason):
            return "\(location): malformed JSON line: \(reason). Each line must be one JSON object such as "
                + "{\"text\": \"...\", \"label\": \"...\"}."
        case let .malformedCSV(location, reason):
            return "\(location): malformed CSV: \(reason). Enclose fields with commas, quotes or newlines in "
                + "double quotes and double any quote inside them (\"\")."
        case .noRecords(let path):
            return "\(path) holds no records. Check that it is the right file and not empty."
        }
    }

    /// `'a', 'b'`, or `no columns` for an empty list.
    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
