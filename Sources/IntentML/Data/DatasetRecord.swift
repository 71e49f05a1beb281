/// One record of a dataset file as read, before its label is parsed into a `LabelSet`.
public struct DatasetRecord: Hashable, Sendable {
    /// The sentence, with leading and trailing ASCII white space removed; never empty.
    public var text: String
    /// The label as written (array labels joined with the separator), or nil when the record has none.
    public var rawLabel: String?
    /// The file and the 1-based line where the record starts.
    public var source: SourceLocation

    /// A record as a reader produces it.
    public init(text: String, rawLabel: String?, source: SourceLocation) {
        self.text = text
        self.rawLabel = rawLabel
        self.source = source
    }

    /// The record as a labelled example, its label parsed with `separator`; nil when it has no label.
    public func labeledExample(separator: Character = "+") -> LabeledExample? {
        guard let rawLabel else { return nil }
        return LabeledExample(text: text, label: rawLabel, separator: separator, source: source)
    }
}
