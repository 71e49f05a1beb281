import Foundation
import Testing
@testable import IntentML

@Suite("Dataset reader: formats, TSV, plain text and streaming")
struct DatasetReaderTests {
    @Test("the format follows the file extension, case-insensitively", arguments: [
        ("data/train.tsv", DatasetFormat.tsv), ("TRAIN.TSV", .tsv), ("a.b/x.csv", .csv),
        ("x.jsonl", .jsonl), ("x.ndjson", .jsonl), ("notes.v2.txt", .txt),
    ])
    func formatDetection(path: String, expected: DatasetFormat) throws {
        #expect(try DatasetFormat(detectingFrom: path) == expected)
    }

    @Test("an unknown or missing extension asks for --input-format", arguments: ["data.xlsx", "data", "dir.v1/data", ".tsv", "-"])
    func unknownFormat(path: String) {
        let error = #expect(throws: DatasetError.self) { try DatasetFormat(detectingFrom: path) }
        let message = error?.description ?? ""
        #expect(message.contains("--input-format"))
        #expect(message.contains(path == "-" ? "standard input" : path))
    }

    @Test("TSV fixture: BOM, header, CRLF, blank lines and a last line without newline")
    func tsvFixture() throws {
        let path = try DatasetTestFiles.fixture("dataset-bom-crlf", "tsv")
        let records = try DatasetTestFiles.records(path, DatasetOptions(format: .tsv))
        #expect(records.map(\.text) == ["hello there", "book a flight to Oslo, is it cold?", "привет", "adiós"])
        #expect(records.map(\.rawLabel) == ["greeting", "book_flight+check_weather", "greeting", "goodbye"])
        #expect(records.map(\.source.line) == [2, 5, 6, 7])
        #expect(records.allSatisfy { $0.source.file == path })
        let examples = try DatasetReader.readExamples(path: path, options: DatasetOptions(format: .tsv))
        #expect(examples[1].labels == LabelSet(["check_weather", "book_flight"]))
        #expect(examples[1].source == IntentML.SourceLocation(file: path, line: 5))
    }

    @Test("only an exact `text<TAB>label` first line is a header")
    func tsvHeaderIsExact() throws {
        let records = try DatasetTestFiles.records(of: "Text\tLabel\ntext\tlabel\n", ext: "tsv", DatasetOptions(format: .tsv))
        #expect(records.map(\.text) == ["Text", "text"])
    }

    @Test("fields are trimmed; the label separator is configurable")
    func tsvTrimAndSeparator() throws {
        var options = DatasetOptions(format: .tsv)
        options.labelSeparator = "|"
        let examples = try DatasetTestFiles.with("  hi there \t a|b \n", ext: "tsv") {
            try DatasetReader.readExamples(path: $0, options: options)
        }
        #expect(examples.map(\.text) == ["hi there"])
        #expect(examples.first?.rawLabel == "a|b")
        #expect(examples.first?.labels.labels == ["a", "b"])
    }

    @Test("prediction input: labels optional, a line without TAB is all text, extra columns ignored")
    func tsvOptionalLabels() throws {
        let options = DatasetOptions(format: .tsv, requireLabels: false)
        let records = try DatasetTestFiles.records(of: "just text\nwith\tlabel\twhatever\nempty label\t \n", ext: "tsv", options)
        #expect(records.map(\.text) == ["just text", "with", "empty label"])
        #expect(records.map(\.rawLabel) == [nil, "label", nil])
    }

    @Test("plain text: one sentence per non-blank line, no labels")
    func plainText() throws {
        let options = DatasetOptions(format: .txt, requireLabels: false)
        let records = try DatasetTestFiles.records(of: "\u{FEFF}first\r\n\n  second\tline \n\n", ext: "txt", options)
        #expect(records == [
            DatasetRecord(text: "first", rawLabel: nil, source: records[0].source),
            DatasetRecord(text: "second\tline", rawLabel: nil, source: records[1].source),
        ])
        #expect(records.map(\.source.line) == [1, 3])
    }

    @Test("an error thrown by the caller's closure stops reading and comes out unchanged")
    func bodyErrorsPropagate() throws {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try DatasetTestFiles.with("a\nb\nc\n", ext: "txt") { path in
                try DatasetReader(path: path, options: DatasetOptions(format: .txt, requireLabels: false)).forEachRecord { _ in
                    seen += 1
                    if seen == 2 { throw Stop() }
                }
            }
        }
        #expect(seen == 2)
    }

    @Test("a file many chunks long reads the same with tiny and default chunks", arguments: DatasetFormat.allCases)
    func chunkBoundaries(format: DatasetFormat) throws {
        let text = Self.largeFile(format: format, rows: 5_000)
        #expect(text.utf8.count > 2 * DatasetReader.defaultChunkSize)
        let options = DatasetOptions(format: format, requireLabels: format != .txt)
        try DatasetTestFiles.with(text, ext: format.rawValue) { path in
            let whole = try DatasetTestFiles.records(path, options)
            #expect(whole.count == 5_000)
            #expect(whole.last?.text.hasSuffix("#4999") == true)
            for chunkSize in [1, 7, 4_093] {
                #expect(try DatasetTestFiles.records(path, options, chunkSize: chunkSize) == whole, "chunk size \(chunkSize)")
            }
        }
    }

    /// A file of `rows` records with multi-byte characters, CRLF and blank lines, so that chunk edges fall
    /// inside characters, between CR and LF, and (for CSV) inside quoted multi-line fields.
    static func largeFile(format: DatasetFormat, rows: Int) -> String {
        let words = ["book a flight", "погода завтра", "预订机票", "จองตั๋ว", "حجز رحلة", "ça va, \"bien\""]
        var out = format == .csv ? "label,text\r\n" : ""
        for row in 0..<rows {
            let text = "\(words[row % words.count]) \(String(repeating: "x", count: row % 17)) #\(row)"
            let label = row % 5 == 0 ? "a+b" : "intent_\(row % 7)"
            switch format {
            case .tsv: out += "\(text)\t\(label)"
            case .txt: out += text
            case .csv:
                let quoted = text.replacingOccurrences(of: "\"", with: "\"\"")
                out += row % 3 == 0 ? "\(label),\"line\r\n\(quoted)\"" : "\(label),\"\(quoted)\""
            case .jsonl:
                let escaped = text.replacingOccurrences(of: "\"", with: "\\\"")
                out += "{\"text\": \"\(escaped)\", \"label\": [\"\(label)\"], \"n\": \(row)}"
            }
            out += row % 4 == 0 ? "\r\n" : "\n"
            if row % 10 == 0 { out += "\n" }
        }
        return out
    }
}
