import Testing
@testable import IntentML

@Suite("Dataset reader: JSON Lines")
struct DatasetJSONLTests {
    @Test("fixture: array labels, escapes, surrogate pairs, skipped fields, CRLF, blank lines")
    func fixture() throws {
        let path = try DatasetTestFiles.fixture("dataset-labels", "jsonl")
        let records = try DatasetTestFiles.records(path, DatasetOptions(format: .jsonl))
        #expect(records.map(\.text) == ["book a flight and check the weather", "hi \"there\"\né😀", "привет", "thanks, hi"])
        #expect(records.map(\.rawLabel) == ["book_flight+check_weather", "greeting", "greeting", "thanks+greeting"])
        #expect(records.map(\.source.line) == [1, 2, 4, 5])
        #expect(try DatasetTestFiles.records(path, DatasetOptions(format: .jsonl), chunkSize: 3) == records)
    }

    @Test("array labels are joined with the configured separator; empty parts dropped")
    func arrayLabelSeparator() throws {
        var options = DatasetOptions(format: .jsonl)
        options.labelSeparator = "|"
        let examples = try DatasetTestFiles.with(#"{"text": "x", "label": ["b", "", "a"]}"#, ext: "jsonl") {
            try DatasetReader.readExamples(path: $0, options: options)
        }
        #expect(examples.first?.rawLabel == "b|a")
        #expect(examples.first?.labels == LabelSet(["a", "b"]))
    }

    @Test("custom field names, and labels optional for prediction input")
    func customFieldsAndOptionalLabels() throws {
        var options = DatasetOptions(format: .jsonl, textColumn: "utterance", labelColumn: "intent", requireLabels: false)
        let jsonl = """
            {"utterance": "one", "intent": null}
            {"utterance": "two"}
            {"utterance": "three", "intent": "greeting", "text": "ignored"}
            """
        let records = try DatasetTestFiles.records(of: jsonl, ext: "jsonl", options)
        #expect(records.map(\.text) == ["one", "two", "three"])
        #expect(records.map(\.rawLabel) == [nil, nil, "greeting"])
        options.requireLabels = true
        let (nullLabel, path) = try DatasetTestFiles.error(reading: jsonl, ext: "jsonl", options)
        #expect(nullLabel == .emptyLabel(IntentML.SourceLocation(file: path, line: 1), field: "intent"))
        let (missing, other) = try DatasetTestFiles.error(reading: #"{"utterance": "two", "id": 3}"#, ext: "jsonl", options)
        #expect(missing == .missingField(IntentML.SourceLocation(file: other, line: 1), field: "intent", option: "--label-column", available: ["utterance", "id"]))
    }

    @Test("escaped field names match, and keys inside nested objects do not", arguments: [
        #"{"te\u0078t": "found", "label": "a"}"#,
        #"{"meta": {"text": "nested"}, "text": "found", "label": "a"}"#,
    ])
    func fieldMatching(line: String) throws {
        let records = try DatasetTestFiles.records(of: line, ext: "jsonl", DatasetOptions(format: .jsonl))
        #expect(records.map(\.text) == ["found"])
    }
}
