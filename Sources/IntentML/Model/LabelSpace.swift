/// The classes a model chooses from, with the names it answers with.
///
/// With a softmax each class is a label set (`airfare+flight`); with one-vs-all each class is one label.
/// Classes are sorted by canonical name so a model's layout does not depend on the order of the data.
public struct LabelSpace: Codable, Sendable, Equatable {
    /// Canonical class names (label sets with sorted labels, or single labels).
    public var classes: [String]
    /// The spelling each class is answered with: the most frequent raw label in training (`flight+airfare`).
    public var displayNames: [String]
    /// Training examples per class.
    public var counts: [Int]

    enum CodingKeys: String, CodingKey {
        case classes
        case displayNames = "display_names"
        case counts
    }

    public init(classes: [String], displayNames: [String], counts: [Int]) {
        self.classes = classes
        self.displayNames = displayNames
        self.counts = counts
    }

    /// Builds the label space of `examples` for the given loss.
    public init(examples: [LabeledExample], loss: Hyperparameters.Loss) {
        var spellings: [String: [String: Int]] = [:]
        for example in examples {
            switch loss {
            case .softmax:
                spellings[example.labels.canonical, default: [:]][example.rawLabel.trimmingWhitespace(), default: 0] += 1
            case .oneVsAll:
                for label in example.labels.labels { spellings[label, default: [:]][label, default: 0] += 1 }
            }
        }
        let sorted = spellings.keys.sorted()
        classes = sorted
        displayNames = sorted.map { name in
            let options = spellings[name] ?? [:]
            return options.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? name
        }
        counts = sorted.map { (spellings[$0] ?? [:]).values.reduce(0, +) }
    }

    /// The number of classes.
    public var count: Int { classes.count }

    /// The index of the `<unknown>` class, when out-of-domain sentences were part of training.
    public var unknownIndex: Int? { classes.firstIndex(of: LabelSet.unknownLabel) }

    /// The index of a class by canonical name.
    public func index(of canonical: String) -> Int? { classes.firstIndex(of: canonical) }
}
