import ArgumentParser
import IntentML

/// What to train on and which model kind: the options `intent train` and `intent tune` share.
struct TrainingInputOptions: ParsableArguments {
    @Option(help: "Labelled training data (TSV text<TAB>label, CSV with header, or JSONL). Default: the built-in dataset.")
    var data: String?

    @Option(help: "Labelled validation data; default: a stratified share of --data.")
    var valid: String?

    @Option(help: "Out-of-domain sentences (any format; labels ignored), trained as <unknown>.")
    var ood: String?

    @Option(help: "Model kind: ngram (fastText-class, the default: trains in seconds, predicts in microseconds), lstm-attention (bidirectional LSTM with self-attention) or ensemble (both, probabilities averaged: the most accurate, at the LSTM's cost).")
    var modelKind = ModelManifest.ngramKind

    @Option(help: ArgumentHelp(
        "How the <unknown> threshold is chosen: auto, keep-rate, max-accuracy, ood-recall=X or none.",
        discussion: "auto (default): with out-of-domain data (--ood, or <unknown> rows), keep-rate lowered to max-accuracy; without, no threshold (closed-set data has nothing to reject). keep-rate keeps calibration_keep_rate of the correct in-domain validation sentences; max-accuracy maximises accuracy over in- and out-of-domain validation; ood-recall=X rejects at least X of the out-of-domain validation sentences; none never rejects. unknown_threshold in --config fixes the threshold instead.",
        valueName: "rule"))
    var calibration = "auto"

    /// The parsed `--calibration` (validated).
    var calibrationRule: CalibrationRule { CalibrationRule(calibration) ?? .auto }

    func validate() throws {
        guard CalibrationRule(calibration) != nil else {
            throw ValidationError("--calibration must be auto, keep-rate, max-accuracy, ood-recall=X (0 < X <= 1) or none, got '\(calibration)'.")
        }
        guard ModelHyperparameters.kinds.contains(modelKind) else {
            throw ValidationError("--model-kind must be one of \(ModelHyperparameters.kinds.joined(separator: ", ")), got '\(modelKind)'.")
        }
    }

    /// The kind's defaults, with the label separator the data options give.
    func defaults(labelSeparator: String) throws -> ModelHyperparameters {
        guard var settings = ModelHyperparameters.defaults(kind: modelKind) else { throw ValidationError("unknown --model-kind '\(modelKind)'.") }
        settings.labelSeparator = labelSeparator
        return settings
    }

    /// Reads --data (or the built-in dataset), --valid and --ood.
    func load(options: DataOptions) throws -> TrainingSource {
        try TrainingSource.load(data: data, valid: valid, ood: ood, options: options)
    }
}
