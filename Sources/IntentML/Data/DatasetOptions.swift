/// How to read a dataset file: its format, where the sentence and label are, and whether labels are required.
///
/// Training and evaluation read with `requireLabels = true`; prediction input reads with `false`, so that a
/// labelled file can be fed to `intent predict` as it is and a missing label is no error.
public struct DatasetOptions: Sendable, Equatable {
    /// The file layout.
    public var format: DatasetFormat
    /// Separator of multi-intent labels (`book_flight+check_weather`); JSONL label arrays are joined with it.
    public var labelSeparator: Character
    /// CSV column or JSONL field that holds the sentence.
    public var textColumn: String
    /// CSV column or JSONL field that holds the label.
    public var labelColumn: String
    /// Whether every record must have a non-empty label (training, evaluation) or may lack one (prediction).
    public var requireLabels: Bool

    /// Options for `format`, with the documented defaults for everything else.
    public init(
        format: DatasetFormat,
        labelSeparator: Character = "+",
        textColumn: String = "text",
        labelColumn: String = "label",
        requireLabels: Bool = true
    ) {
        self.format = format
        self.labelSeparator = labelSeparator
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.requireLabels = requireLabels
    }
}
