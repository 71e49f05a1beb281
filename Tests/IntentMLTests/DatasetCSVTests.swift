import Testing
@testable import IntentML

@Suite("Dataset reader: CSV quoting and columns")
struct DatasetCSVTests {
    @Test("fixture: quoted commas, doubled quotes, newlines in quotes, BOM, CRLF, no final newline")
    func quotingFixture() throws {
        let path = try DatasetTestFiles.fixture("dataset-quoted", "csv")
        let records = try DatasetTestFiles.records(path, DatasetOptions(format: .csv))
        #expect(records.map(\.text) == [
            "hello, world",
            "she said \"thank you\" twice",
            "first line\nsecond line, with comma",
            "plain unquoted",
            "spaced quote, ok",
            "say \"pizza\" please",
            "\"",
            "последняя строка без перевода",
        ])
        #expect(records.map(\.rawLabel) == [
            "greeting", "thanks", "book_flight", "goodbye", "play_music", "order_food", "check_weather", "set_alarm",
        ])
        // A record spanning lines 4-5 is located at its first line; numbering continues after it.
        #expect(records.map(\.source.line) == [2, 3, 4, 7, 8, 9, 10, 11])
    }

    @Test("the fixture reads the same one byte at a time")
    func quotingFixtureTinyChunks() throws {
        let path = try DatasetTestFiles.fixture("dataset-quoted", "csv")
        let options = DatasetOptions(format: .csv)
        #expect(try DatasetTestFiles.records(path, options, chunkSize: 1) == DatasetTestFiles.records(path, options))
    }

    @Test("columns are chosen by name, in any order")
    func namedColumns() throws {
        var options = DatasetOptions(format: .csv)
        options.textColumn = "utterance"
        options.labelColumn = "intent"
        let csv = "intent,id,utterance\nbook_flight+check_weather,1,\"fly to Rome, weather?\"\n"
        let records = try DatasetTestFiles.records(of: csv, ext: "csv", options)
        #expect(records.map(\.text) == ["fly to Rome, weather?"])
        #expect(records.map(\.rawLabel) == ["book_flight+check_weather"])
    }

    @Test("prediction input may lack the label column or leave labels empty")
    func optionalLabelColumn() throws {
        let options = DatasetOptions(format: .csv, requireLabels: false)
        let textOnly = try DatasetTestFiles.records(of: "text\nhello\n\"a, b\"\n", ext: "csv", options)
        #expect(textOnly.map(\.text) == ["hello", "a, b"])
        #expect(textOnly.allSatisfy { $0.rawLabel == nil })
        let emptyLabels = try DatasetTestFiles.records(of: "text,label\nhello,\nbye,goodbye\n", ext: "csv", options)
        #expect(emptyLabels.map(\.rawLabel) == [nil, "goodbye"])
    }

    @Test("an empty quoted field is empty, and empty text is refused")
    func emptyQuotedField() throws {
        let (error, path) = try DatasetTestFiles.error(reading: "text,label\n\"\",greeting\n", ext: "csv", DatasetOptions(format: .csv))
        #expect(error == .emptyText(IntentML.SourceLocation(file: path, line: 2), field: "text"))
    }

    @Test("a quoted field may hold blank lines")
    func blankLinesInsideQuotes() throws {
        let records = try DatasetTestFiles.records(of: "text,label\n\"a\n\n\nb\",x\nc,y\n", ext: "csv", DatasetOptions(format: .csv))
        #expect(records.map(\.text) == ["a\n\n\nb", "c"])
        #expect(records.map(\.source.line) == [2, 6])
    }
}
