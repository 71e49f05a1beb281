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

    @Option(help: ArgumentHelp(
        "Model kind: auto, ngram, lstm-attention or ensemble.",
        discussion: "ngram: fastText-class, trains in seconds, predicts in microseconds. lstm-attention: a bidirectional LSTM with self-attention. ensemble: both, probabilities averaged: the most accurate on thousands of sentences, at the LSTM's cost (tens of seconds to train, about 0.1 ms a sentence). auto: ngram below \(ModelKindChoice.ensembleFrom) labelled in-domain sentences, ensemble from there (measured on ATIS subsets, docs/model.md); with --config (or tune's --space) written for one kind, that kind.",
        valueName: "kind"))
    var modelKind = ModelKindChoice.auto

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
        guard modelKind == ModelKindChoice.auto || ModelHyperparameters.kinds.contains(modelKind) else {
            throw ValidationError("--model-kind must be one of \(([ModelKindChoice.auto] + ModelHyperparameters.kinds).joined(separator: ", ")), got '\(modelKind)'.")
        }
    }

    /// The settings to train with on `source`: the kind's defaults, or `config` read for the kind; with
    /// `--model-kind auto`, the kind `ModelKindChoice` picks (said on standard error, with how to choose another).
    func hyperparameters(for source: TrainingSource, config: String?, labelSeparator: String) throws -> ModelHyperparameters {
        var (settings, _) = try resolveKind(for: source, file: config.map { ("--config", $0) }) { kind in
            if let config { return try ModelHyperparameters.load(path: config, kind: kind) }
            return try Self.defaults(kind: kind, labelSeparator: labelSeparator)
        }
        settings.labelSeparator = labelSeparator
        return settings
    }

    /// `kind`'s defaults with the data's label separator.
    static func defaults(kind: String, labelSeparator: String) throws -> ModelHyperparameters {
        guard var settings = ModelHyperparameters.defaults(kind: kind) else { throw ValidationError("unknown --model-kind '\(kind)'.") }
        settings.labelSeparator = labelSeparator
        return settings
    }

    /// The kind to use on `source` and what `fits` makes of it (see `ModelKindChoice.resolve`); `file`
    /// names the flag and path of a kind-specific file, for the note `auto` prints and its refusals.
    func resolveKind<T>(for source: TrainingSource, file: (flag: String, path: String)?, fits: (String) throws -> T) throws -> (T, kind: String) {
        let chosen: ModelKindChoice.Resolution<T>
        do { chosen = try ModelKindChoice.resolve(requested: modelKind, examples: source.train, fits: fits) } catch let error as ModelKindChoiceError {
            throw ValidationError("\(file.map { "\($0.flag) \($0.path)" } ?? "the settings"): \(error).")
        }
        if chosen.automatic {
            let count = chosen.inDomainExamples
            var why = "\(count) labelled in-domain sentences, \(count >= ModelKindChoice.ensembleFrom ? "at least" : "fewer than") \(ModelKindChoice.ensembleFrom)"
            if let file, chosen.kind != chosen.bySize { why = "\(file.flag) \(file.path) is written for it" }
            if let file, !chosen.alsoFits.isEmpty, chosen.alsoFits.count < ModelHyperparameters.kinds.count - 1 {
                why += "; \(file.flag) also fits \(chosen.alsoFits.joined(separator: " and ")): --model-kind chooses"
            }
            let other = chosen.kind == ModelManifest.ngramKind ? "--model-kind ensemble is more accurate on thousands of sentences"
                : "--model-kind ngram trains in seconds and answers in microseconds"
            printError("model kind: \(chosen.kind) (auto: \(why); \(other))")
        }
        return (chosen.value, chosen.kind)
    }

    /// Reads --data (or the built-in dataset), --valid and --ood.
    func load(options: DataOptions) throws -> TrainingSource {
        try TrainingSource.load(data: data, valid: valid, ood: ood, options: options)
    }
}
