import ArgumentParser
import IntentML

/// The options that say how to read a data file, shared by the commands that read one.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: "Data format: tsv, csv, jsonl or txt (default: from the file extension).")
    var inputFormat: DatasetFormat?

    @Option(help: "CSV/JSONL field that holds the sentence.")
    var textColumn = "text"

    @Option(help: "CSV/JSONL field that holds the label.")
    var labelColumn = "label"

    @Option(help: "Separator of multi-intent labels, e.g. flight+airfare.")
    var labelSeparator = "+"

    @Option(help: ArgumentHelp("The dataset's out-of-scope label (oos, out_of_scope, none), read as <unknown>.", valueName: "name"))
    var unknownLabel: String?

    func validate() throws {
        guard labelSeparator.count == 1 else { throw ValidationError("--label-separator must be one character, got '\(labelSeparator)'.") }
        if let unknownLabel, unknownLabel.isEmpty || unknownLabel.contains(labelSeparator) {
            throw ValidationError("--unknown-label must be one label (not empty, without '\(labelSeparator)'), got '\(unknownLabel)'.")
        }
    }

    /// Reader options for `path`, the format taken from the flag or the extension.
    func options(for path: String, requireLabels: Bool) throws -> DatasetOptions {
        let format: DatasetFormat
        if let inputFormat { format = inputFormat } else { format = try DatasetFormat(detectingFrom: path) }
        var options = DatasetOptions(format: format)
        options.labelSeparator = labelSeparator.first ?? "+"
        options.textColumn = textColumn
        options.labelColumn = labelColumn
        options.requireLabels = requireLabels
        return options
    }

    /// Reads labelled examples from `path`, the out-of-scope label (`--unknown-label`) read as `<unknown>`.
    func examples(at path: String) throws -> [LabeledExample] {
        mappingUnknown(try DatasetReader.readExamples(path: path, options: options(for: path, requireLabels: true)))
    }

    /// `examples` with every example labelled exactly `--unknown-label` relabelled `<unknown>`.
    func mappingUnknown(_ examples: [LabeledExample]) -> [LabeledExample] {
        guard let unknownLabel else { return examples }
        return examples.map { example in
            guard example.rawLabel == unknownLabel else { return example }
            return LabeledExample(text: example.text, rawLabel: LabelSet.unknownLabel, labels: LabelSet(parsing: LabelSet.unknownLabel),
                                  source: example.source)
        }
    }
}

extension DatasetFormat: ExpressibleByArgument {}
