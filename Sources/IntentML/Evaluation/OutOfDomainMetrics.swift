/// How well confidence separates in-domain sentences from out-of-domain ones.
///
/// In-domain confidences are those of the evaluated examples whose gold set is not `<unknown>`; out-of-domain
/// confidences come from a separate set of sentences the model should reject.
public struct OutOfDomainMetrics: Codable, Sendable, Equatable {
    /// The number of out-of-domain sentences.
    public var count: Int
    /// The number of in-domain examples compared with them.
    public var inDomainCount: Int
    /// The probability that an in-domain confidence exceeds an out-of-domain one, ties counting half;
    /// `nil` when either side is empty.
    public var auroc: Double?
    /// The highest confidence threshold that keeps at least 95% of in-domain examples (confidence >= threshold).
    public var thresholdAt95Kept: Double?
    /// The share of in-domain examples actually kept at that threshold (at least 0.95; more with ties).
    public var inDomainKeptAt95: Double?
    /// The share of out-of-domain sentences with confidence strictly below that threshold (rejected).
    public var rejectedAt95Kept: Double?

    enum CodingKeys: String, CodingKey {
        case count = "n"
        case inDomainCount = "in_domain_n"
        case auroc
        case thresholdAt95Kept = "threshold_at_95_kept"
        case inDomainKeptAt95 = "in_domain_kept_at_95"
        case rejectedAt95Kept = "rejected_at_95_kept"
    }

    public init(count: Int, inDomainCount: Int, auroc: Double?, thresholdAt95Kept: Double?,
                inDomainKeptAt95: Double?, rejectedAt95Kept: Double?) {
        self.count = count
        self.inDomainCount = inDomainCount
        self.auroc = auroc
        self.thresholdAt95Kept = thresholdAt95Kept
        self.inDomainKeptAt95 = inDomainKeptAt95
        self.rejectedAt95Kept = rejectedAt95Kept
    }
}
