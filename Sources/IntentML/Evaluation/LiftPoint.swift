/// Accuracy among the most confident examples: one decile of the lift chart.
///
/// Examples are sorted by confidence, most confident first (ties keep data order); the top `count`
/// examples are `share` of all of them, rounded up.
public struct LiftPoint: Codable, Sendable, Equatable {
    /// The decile, 1 (top 10%) to 10 (everything).
    public var decile: Int
    /// The share of examples kept, `decile / 10`.
    public var share: Double
    /// How many examples that is.
    public var count: Int
    /// Set-match accuracy among those examples.
    public var accuracy: Double
    /// Their mean confidence.
    public var meanConfidence: Double
    /// `accuracy` divided by the overall accuracy; `nil` when the overall accuracy is 0.
    public var lift: Double?

    enum CodingKeys: String, CodingKey {
        case decile
        case share
        case count
        case accuracy
        case meanConfidence = "mean_confidence"
        case lift
    }

    public init(decile: Int, share: Double, count: Int, accuracy: Double, meanConfidence: Double, lift: Double?) {
        self.decile = decile
        self.share = share
        self.count = count
        self.accuracy = accuracy
        self.meanConfidence = meanConfidence
        self.lift = lift
    }
}
