import Testing
@testable import IntentML

@Suite("Dataset split: stratified and reproducible")
struct DatasetSplitTests {
    /// `sizes[label]` examples per class, classes in the given order, texts numbered within their class.
    static func data(_ sizes: [(String, Int)]) -> [LabeledExample] {
        sizes.flatMap { label, count in (0..<count).map { LabeledExample(text: "\(label) \($0)", label: label) } }
    }

    static let sizes = [("greeting", 20), ("book_flight+check_weather", 7), ("goodbye", 1), ("thanks", 2), ("set_alarm", 33)]

    @Test("each class sends round(fraction * n) to validation and keeps at least one in training")
    func perClassCounts() {
        let (train, validation) = DatasetSplit.stratified(Self.data(Self.sizes), validationFraction: 0.3, seed: 42)
        for (label, count) in Self.sizes {
            let held = validation.filter { $0.rawLabel == label }.count
            let kept = train.filter { $0.rawLabel == label }.count
            #expect(held == min(Int((0.3 * Double(count)).rounded()), count - 1), "\(label)")
            #expect(kept >= 1 && kept + held == count, "\(label)")
        }
        // 20 -> 6, 7 -> 2, 1 -> 0, 2 -> 1, 33 -> 10.
        #expect(validation.count == 19)
    }

    @Test("same seed, same split; another seed, another split")
    func determinism() {
        let data = Self.data(Self.sizes)
        let first = DatasetSplit.stratified(data, validationFraction: 0.25, seed: 7)
        let second = DatasetSplit.stratified(data, validationFraction: 0.25, seed: 7)
        let other = DatasetSplit.stratified(data, validationFraction: 0.25, seed: 8)
        #expect(first.train == second.train && first.validation == second.validation)
        #expect(first.validation != other.validation)
    }

    @Test("the order of classes in the input does not change which examples are held out")
    func classOrderIndependence() {
        let forward = DatasetSplit.stratified(Self.data(Self.sizes), validationFraction: 0.2, seed: 3)
        let reversed = DatasetSplit.stratified(Self.data(Self.sizes.reversed()), validationFraction: 0.2, seed: 3)
        #expect(Set(forward.validation) == Set(reversed.validation))
    }

    @Test("both parts keep the input order and together hold every example once")
    func partition() {
        let data = Self.data(Self.sizes)
        let (train, validation) = DatasetSplit.stratified(data, validationFraction: 0.5, seed: 1)
        #expect(train.count + validation.count == data.count)
        #expect(Set(train).isDisjoint(with: Set(validation)))
        let position = Dictionary(uniqueKeysWithValues: data.enumerated().map { ($1, $0) })
        let trainPositions = train.compactMap { position[$0] }
        let validationPositions = validation.compactMap { position[$0] }
        #expect(trainPositions == trainPositions.sorted() && validationPositions == validationPositions.sorted())
    }

    @Test("label sets written in another order are one class", arguments: [0.0, 1.0, -3.0, .nan])
    func edgeFractions(fraction: Double) {
        let data = [
            LabeledExample(text: "a", label: "x+y"), LabeledExample(text: "b", label: "y+x"), LabeledExample(text: "c", label: "z"),
        ]
        let (train, validation) = DatasetSplit.stratified(data, validationFraction: fraction, seed: 9)
        // Fraction 1 holds out all but one of the x+y class; the single z stays in training.
        #expect(validation.count == (fraction == 1 ? 1 : 0))
        #expect(Set(train.map(\.labels.canonical)) == ["x+y", "z"])
    }
}
