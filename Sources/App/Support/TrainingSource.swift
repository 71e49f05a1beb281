import Foundation
import IntentSupport
import IntentML

/// The examples a training run reads, and the fingerprint of the files they came from.
struct TrainingSource {
    var train: [LabeledExample]
    var validation: [LabeledExample]?
    var sources: [String]
    var fingerprint: String

    /// Reads --data (or the built-in dataset), --valid and --ood.
    static func load(data: String?, valid: String?, ood: String?, options: DataOptions) throws -> TrainingSource {
        var train: [LabeledExample]
        var sources: [String] = []
        var hasher = SHA256()
        if let data {
            train = try options.examples(at: data)
            sources.append(data)
            try DatasetFingerprint.update(&hasher, withFile: data)
        } else {
            // The built-in dataset brings its own out-of-domain sentences, so the demo rejects off-topic input.
            train = DefaultDataset.examples()
            if ood == nil {
                train += DefaultDataset.oodSentences.map { LabeledExample(text: $0, label: LabelSet.unknownLabel, source: SourceLocation(file: "<built-in>", line: 0)) }
            }
            sources.append("<built-in:\(DefaultDataset.name)>")
            hasher.update(bytes: Array(DefaultDataset.tsv.utf8))
        }
        if let ood {
            let records = try outOfDomainExamples(at: ood, options: options)
            train += records
            sources.append(ood)
            try DatasetFingerprint.update(&hasher, withFile: ood)
        }
        var validation: [LabeledExample]?
        if let valid {
            validation = try options.examples(at: valid)
            sources.append(valid)
            try DatasetFingerprint.update(&hasher, withFile: valid)
        }
        return TrainingSource(train: train, validation: validation, sources: sources, fingerprint: SHA256.hex(hasher.finalize()))
    }

    /// Every sentence of `path` as an `<unknown>` example, whatever label the file gives it.
    static func outOfDomainExamples(at path: String, options: DataOptions) throws -> [LabeledExample] {
        var examples: [LabeledExample] = []
        try DatasetReader(path: path, options: options.options(for: path, requireLabels: false)).forEachRecord { record in
            examples.append(LabeledExample(text: record.text, label: LabelSet.unknownLabel, source: record.source))
        }
        return examples
    }
}
