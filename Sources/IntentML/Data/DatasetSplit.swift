/// Splits labelled examples into training and validation parts, stratified by label set and reproducible.
///
/// Each class (one label set, keyed by `labels.canonical`) is split on its own, so rare intents appear in
/// both parts in the same proportion as common ones. Classes are visited in sorted order and shuffled with
/// one `SplitMix64`, so the split depends only on the examples and the seed, never on dictionary order.
public enum DatasetSplit {
    /// Splits `examples`: about `validationFraction` of each class goes to validation.
    ///
    /// A class of `n` examples puts `round(validationFraction * n)` in validation, but always keeps at least
    /// one in training: a class with a single example stays wholly in training. Both parts keep the input
    /// order. A fraction outside `0...1` is clamped; the same examples and seed give the same split.
    public static func stratified(
        _ examples: [LabeledExample], validationFraction: Double, seed: UInt64
    ) -> (train: [LabeledExample], validation: [LabeledExample]) {
        let fraction = validationFraction.isNaN ? 0 : min(1, max(0, validationFraction))
        var indicesByClass: [String: [Int]] = [:]
        for (index, example) in examples.enumerated() {
            indicesByClass[example.labels.canonical, default: []].append(index)
        }
        var generator = SplitMix64(seed: seed)
        var isValidation = [Bool](repeating: false, count: examples.count)
        for key in indicesByClass.keys.sorted() {
            guard var indices = indicesByClass[key] else { continue }
            let wanted = Int((fraction * Double(indices.count)).rounded())
            let count = min(wanted, indices.count - 1)
            guard count > 0 else { continue }
            generator.shuffle(&indices)
            for index in indices.prefix(count) { isValidation[index] = true }
        }
        var train: [LabeledExample] = []
        var validation: [LabeledExample] = []
        for (index, example) in examples.enumerated() {
            if isValidation[index] { validation.append(example) } else { train.append(example) }
        }
        return (train, validation)
    }
}
