/// The dataset `intent train` uses when no `--data` is given: a small multilingual customer assistant.
///
/// Ten intents (greeting, goodbye, thanks, book_flight, check_weather, order_food, cancel_order,
/// track_order, play_music, set_alarm) plus the multi-intent `book_flight+check_weather`, written in English,
/// Spanish, French, German, Russian, Arabic, Chinese and Thai: three sentences per intent and language, and 10
/// multi-intent ones. Each sentence carries a key word of its intent in its language (`погода`, `天气`), the rest
/// varies, so that a bag-of-n-grams model generalises to held-out sentences. Chinese and Thai are written without
/// spaces, as real users write them. All sentences are original.
public enum DefaultDataset {
    /// The dataset's name and version, recorded in the manifest of models trained on it.
    public static let name = "intentops-demo-v1"

    /// The source-file name of built-in examples.
    public static let sourceName = "<built-in>"

    /// The dataset as TSV: one `text<TAB>label` line per example, no header
    /// (`Resources/demo-dataset.tsv`, compiled into the library).
    public static let tsv: String = text(of: PackageResources.demo_dataset_tsv)

    /// Out-of-domain sentences in the same languages (`Resources/demo-out-of-domain.txt`, one per line), for
    /// the demo's `<unknown>` calibration and its hold-out.
    public static let oodSentences: [String] = text(of: PackageResources.demo_out_of_domain_txt)
        .split(separator: "\n").map(String.init)

    /// A resource's UTF-8 text without its final newline.
    private static func text(of bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// The examples of `tsv`, in order, each with its line as source (`<built-in>:N`).
    public static func examples() -> [LabeledExample] {
        var examples: [LabeledExample] = []
        for (index, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else { continue }
            let source = SourceLocation(file: sourceName, line: index + 1)
            examples.append(LabeledExample(text: String(fields[0]), label: String(fields[1]), source: source))
        }
        return examples
    }
}
