/// One equal-width confidence bin of the reliability diagram.
public struct CalibrationBin: Codable, Sendable, Equatable {
    /// The bin's lower edge (inclusive).
    public var lower: Double
    /// The bin's upper edge (exclusive, except 1.0 for the last bin).
    public var upper: Double
    /// Examples whose confidence falls in the bin.
    public var count: Int
    /// Their mean confidence, 0 when the bin is empty.
    public var meanConfidence: Double
    /// Their set-match accuracy, 0 when the bin is empty.
    public var accuracy: Double

    enum CodingKeys: String, CodingKey {
        case lower
        case upper
        case count
        case meanConfidence = "mean_confidence"
        case accuracy
    }

    public init(lower: Double, upper: Double, count: Int, meanConfidence: Double, accuracy: Double) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanConfidence = meanConfidence
        self.accuracy = accuracy
    }

    /// How far the bin is from perfect calibration: `|accuracy - meanConfidence|`.
    public var gap: Double { abs(accuracy - meanConfidence) }
}
