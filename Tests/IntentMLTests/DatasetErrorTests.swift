import Foundation
import Testing
@testable import IntentML

@Suite("Dataset reader: every error names the file, the line and the field")
struct DatasetErrorTests {
    /// One bad file: its bytes, how it is read, the error expected for its path, and words the message needs.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let options: DatasetOptions
        let expected: @Sendable (String) -> DatasetError
        let mentions: [String]
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ options: DatasetOptions, mentions: [String] = [], _ expected: @escaping @Sendable (String) -> DatasetError) {
            self.init(name, Array(text.utf8), options, mentions: mentions, expected)
        }

        init(_ name: String, _ bytes: [UInt8], _ options: DatasetOptions, mentions: [String] = [], _ expected: @escaping @Sendable (String) -> DatasetError) {
            self.name = name
            self.bytes = bytes
            self.options = options
            self.expected = expected
            self.mentions = mentions
        }
    }

    static let tsv = DatasetOptions(format: .tsv)
    static let csv = DatasetOptions(format: .csv)
    static let jsonl = DatasetOptions(format: .jsonl)
    static let txt = DatasetOptions(format: .txt, requireLabels: false)

    static func at(_ path: String, _ line: Int) -> IntentML.SourceLocation { IntentML.SourceLocation(file: path, line: line) }

    /// Every case, in groups small enough for the type checker.
    static let cases: [Case] = encodingCases + structureCases + emptyCases + jsonCases + csvCases

    static let encodingCases: [Case] = [
        Case("invalid UTF-8 in TSV text", Array("ok\tgreeting\nbad ".utf8) + [0xFF] + Array("\tgreeting\n".utf8), tsv, mentions: ["UTF-8", "iconv"]) {
            .invalidUTF8(at($0, 2), field: "text")
        },
        Case("truncated UTF-8 in a TSV label", Array("hi\tgr".utf8) + [0xC3], tsv) { .invalidUTF8(at($0, 1), field: "label") },
        Case("encoded surrogate in plain text", Array("fine\n".utf8) + [0xED, 0xA0, 0x80], txt) { .invalidUTF8(at($0, 2), field: "text") },
        Case("invalid UTF-8 in a CSV column", Array("text,label\nhi,".utf8) + [0xFF], csv) { .invalidUTF8(at($0, 2), field: "label") },
        Case("overlong UTF-8 in a JSON string", Array(#"{"text": ""#.utf8) + [0xC0, 0xAF] + Array(#"", "label": "a"}"#.utf8), jsonl) {
            .invalidUTF8(at($0, 1), field: "text")
        },
    ]

    static let structureCases: [Case] = [
        Case("CSV without the text column", "sentence,intent\nhi,x\n", csv, mentions: ["'sentence', 'intent'", "--text-column"]) {
            .missingColumn(at($0, 1), column: "text", option: "--text-column", available: ["sentence", "intent"])
        },
        Case("CSV without the label column", "\u{FEFF}text,intent\nhi,x\n", csv, mentions: ["--label-column"]) {
            .missingColumn(at($0, 1), column: "label", option: "--label-column", available: ["text", "intent"])
        },
        Case("TSV line without TAB", "hello\tgreeting\nno tab here\n", tsv, mentions: ["TAB"]) { .missingTab(at($0, 2)) },
        Case("TSV line with three fields", "\n\na\tb\tc\n", tsv, mentions: ["found 3"]) {
            .wrongFieldCount(at($0, 3), format: .tsv, expected: 2, found: 3)
        },
        Case("CSV row with an unquoted comma", "text,label\nhello, world,greeting\n", csv, mentions: ["Quote fields"]) {
            .wrongFieldCount(at($0, 2), format: .csv, expected: 2, found: 3)
        },
    ]

    static let emptyCases: [Case] = [
        Case("TSV empty text", "\tgreeting\n", tsv, mentions: ["'text'"]) { .emptyText(at($0, 1), field: "text") },
        Case("JSONL white-space text", #"{"text": "   ", "label": "a"}"#, jsonl) { .emptyText(at($0, 1), field: "text") },
        Case("TSV empty label", "hello\t  \r\n", tsv, mentions: ["'label'", "<unknown>"]) { .emptyLabel(at($0, 1), field: "label") },
        Case("TSV label of separators only", "hello\t+\n", tsv) { .emptyLabel(at($0, 1), field: "label") },
        Case("CSV empty label", "text,label\nhi,\"\"\n", csv) { .emptyLabel(at($0, 2), field: "label") },
        Case("JSONL empty label array", #"{"text": "hi", "label": []}"#, jsonl) { .emptyLabel(at($0, 1), field: "label") },
    ]

    static let jsonCases: [Case] = [
        Case("JSONL without the text field", #"{"sentence": "hi", "label": "a"}"#, jsonl, mentions: ["'sentence', 'label'", "--text-column"]) {
            .missingField(at($0, 1), field: "text", option: "--text-column", available: ["sentence", "label"])
        },
        Case("JSONL line that is not an object", "\n[1, 2]\n", jsonl, mentions: ["column 1"]) {
            .malformedJSON(at($0, 2), reason: "expected a JSON object starting with '{' at column 1")
        },
        Case("JSONL trailing garbage", #"{"text": "a", "label": "b"} extra"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "unexpected text after the closing '}' at column 29")
        },
        Case("JSONL unterminated string", #"{"text": "never closed}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "unterminated string (missing closing '\"') at column 24")
        },
        Case("JSONL single quotes", #"{"text": 'a'}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "unexpected ''' where a value was expected (strings need double quotes) at column 10")
        },
        Case("JSONL text that is a number", #"{"text": 42, "label": "a"}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "field 'text' is a number; it must be a string")
        },
        Case("JSONL label that is an object", #"{"text": "a", "label": {"x": 1}}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "field 'label' is an object; it must be a string or an array of strings")
        },
        Case("JSONL label array with a number", #"{"text": "a", "label": ["x", 1]}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "field 'label' is an array with non-string elements; it must be a string or an array of strings")
        },
        Case("JSONL unpaired surrogate", #"{"text": "\ud83d", "label": "a"}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "unpaired UTF-16 surrogate \\ud83d at column 11")
        },
        Case("JSONL unknown escape", #"{"text": "a\qb", "label": "a"}"#, jsonl) {
            .malformedJSON(at($0, 1), reason: "invalid escape '\\q' at column 12")
        },
        Case("JSONL raw tab inside a string", "{\"text\": \"a\tb\", \"label\": \"a\"}", jsonl) {
            .malformedJSON(at($0, 1), reason: "raw control character inside a string (write it as \\n, \\t or \\u00XX) at column 12")
        },
        Case("JSONL nested too deep", #"{"x": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", jsonl) {
            .malformedJSON(at($0, 1), reason: "values nested deeper than 64 levels at column 72")
        },
    ]

    static let csvCases: [Case] = [
        Case("CSV quote never closed", "text,label\n\"open,greeting\nnext,line\n", csv, mentions: ["never closed"]) {
            .malformedCSV(at($0, 2), reason: "the quoted field 'text' opened in this record is never closed")
        },
        Case("CSV text after a closing quote", "text,label\n\"a\"b,greeting\n", csv) {
            .malformedCSV(at($0, 2), reason: "unexpected 'b' after the closing quote of field 'text'")
        },
        Case("plain text when labels are required", "hello\n", DatasetOptions(format: .txt), mentions: ["no labels"]) {
            .formatHasNoLabels(path: $0, format: .txt)
        },
    ]

    @Test("malformed files are refused with a precise, actionable error", arguments: cases)
    func refused(_ testCase: Case) throws {
        let (error, path) = try DatasetTestFiles.error(reading: testCase.bytes, ext: testCase.options.format.rawValue, testCase.options)
        let expected = testCase.expected(path)
        #expect(error == expected)
        let message = error?.description ?? ""
        #expect(message.contains(path))
        if case let location? = Self.location(of: expected) {
            #expect(message.contains("\(path):\(location.line):"), "message names file:line")
        }
        for word in testCase.mentions { #expect(message.contains(word), "message mentions \(word)") }
    }

    @Test("a missing file, a directory, an empty file and an over-long line")
    func fileLevelErrors() throws {
        let missing = "/nonexistent/dir/train.tsv"
        #expect(throws: DatasetError.fileNotFound(path: missing)) { try DatasetReader.readExamples(path: missing, options: Self.tsv) }
        let directory = FileManager.default.temporaryDirectory.path
        let unreadable = #expect(throws: DatasetError.self) { try DatasetReader.readExamples(path: directory, options: Self.tsv) }
        #expect(unreadable == .unreadable(path: directory, reason: "it is a directory"))
        try DatasetTestFiles.with("\n  \n", ext: "tsv") { path in
            #expect(throws: DatasetError.noRecords(path: path)) { try DatasetReader.readExamples(path: path, options: Self.tsv) }
        }
        try DatasetTestFiles.with("short\n" + String(repeating: "y", count: 100) + "\n", ext: "txt") { path in
            let reader = DatasetReader(path: path, options: Self.txt, chunkSize: 8, maxLineBytes: 32)
            #expect(throws: DatasetError.lineTooLong(IntentML.SourceLocation(file: path, line: 2), limit: 32)) { try reader.forEachRecord { _ in } }
        }
    }

    /// The source location an error carries, if any.
    static func location(of error: DatasetError) -> IntentML.SourceLocation? {
        switch error {
        case .invalidUTF8(let location, _), .lineTooLong(let location, _), .missingColumn(let location, _, _, _),
             .missingField(let location, _, _, _), .missingTab(let location), .wrongFieldCount(let location, _, _, _),
             .emptyText(let location, _), .emptyLabel(let location, _), .malformedJSON(let location, _),
             .malformedCSV(let location, _):
            return location
        case .fileNotFound, .unreadable, .unknownFormat, .formatHasNoLabels, .noRecords:
            return nil
        }
    }
}
