/// Where a record came from: a file and a 1-based line number, for error messages and reports.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the user gave it (or a name such as `<built-in>`).
    public var file: String
    /// The 1-based line number of the record.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One labelled sentence from a dataset.
public struct LabeledExample: Hashable, Sendable {
    /// The sentence as written in the data file.
    public var text: String
    /// The label exactly as written (`flight+airfare`), for exact-string accuracy.
    public var rawLabel: String
    /// The label parsed as a set.
    public var labels: LabelSet
    /// Where the record was read from, if it came from a file.
    public var source: SourceLocation?

    public init(text: String, rawLabel: String, labels: LabelSet, source: SourceLocation? = nil) {
        self.text = text
        self.rawLabel = rawLabel
        self.labels = labels
        self.source = source
    }

    /// Builds an example by parsing `rawLabel` with `separator`.
    public init(text: String, label rawLabel: String, separator: Character = "+", source: SourceLocation? = nil) {
        self.init(text: text, rawLabel: rawLabel, labels: LabelSet(parsing: rawLabel, separator: separator), source: source)
    }
}
