/// The buffers of one forward and backward pass of `LSTMAttentionNetwork`, grown as batches need and
/// reused, so a training step or a prediction allocates nothing once warm.
///
/// One workspace belongs to one thread at a time (training gives each shard its own), hence
/// `@unchecked Sendable`: it moves between threads but is never shared by two.
final class LSTMWorkspace: @unchecked Sendable {
    private var capacity: [String: Int] = [:]
    private var storage: [String: UnsafeMutablePointer<Float>] = [:]

    // Forward. TB = steps x batch.
    /// [TB x D]
    private(set) var x: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [TB x D], 0 or 1/(1-p)
    private(set) var embeddingMask: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// Per direction [TB x 4H]: the input projections, then the activated gates i f g o.
    private(set) var gates: [UnsafeMutablePointer<Float>] = []
    /// Per direction [TB x H]
    private(set) var cell: [UnsafeMutablePointer<Float>] = []
    /// Per direction [TB x H]: tanh(c)
    private(set) var cellTanh: [UnsafeMutablePointer<Float>] = []
    /// [TB x 2H]: [h_fwd ; h_bwd]
    private(set) var hidden: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [TB x A]
    private(set) var attentionHidden: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [TB]
    private(set) var scores: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [TB]
    private(set) var attention: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [B x 2H], after dropout
    private(set) var context: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [B x 2H], 0 or 1/(1-p)
    private(set) var contextMask: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [B x C]
    private(set) var probabilities: UnsafeMutablePointer<Float> = .allocate(capacity: 1)

    // Backward.
    private(set) var dLogits: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dContext: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dHidden: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dScores: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dAttentionHidden: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dGates: [UnsafeMutablePointer<Float>] = []
    private(set) var dHiddenNext: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    private(set) var dCellNext: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// [TB x D]
    private(set) var dInput: UnsafeMutablePointer<Float> = .allocate(capacity: 1)

    private var placeholders: [UnsafeMutablePointer<Float>] = []

    init() {
        placeholders = [x, embeddingMask, hidden, attentionHidden, scores, attention, context, contextMask, probabilities,
                        dLogits, dContext, dHidden, dScores, dAttentionHidden, dHiddenNext, dCellNext, dInput]
    }

    deinit {
        for pointer in placeholders { pointer.deallocate() }
        for pointer in storage.values { pointer.deallocate() }
    }

    /// Makes every buffer large enough for `steps x count` of `network`.
    func prepare(network: LSTMAttentionNetwork, steps: Int, count: Int) {
        let rows = max(1, steps * count), batch = max(1, count)
        let D = network.embeddingDimension, H = network.hiddenSize, G = network.gateSize, S = network.stateSize
        let A = network.attentionSize, C = network.classCount
        x = buffer("x", rows * D)
        embeddingMask = buffer("embeddingMask", rows * D)
        gates = (0..<2).map { buffer("gates\($0)", rows * G) }
        cell = (0..<2).map { buffer("cell\($0)", rows * H) }
        cellTanh = (0..<2).map { buffer("cellTanh\($0)", rows * H) }
        hidden = buffer("hidden", rows * S)
        attentionHidden = buffer("attentionHidden", rows * A)
        scores = buffer("scores", rows)
        attention = buffer("attention", rows)
        context = buffer("context", batch * S)
        contextMask = buffer("contextMask", batch * S)
        probabilities = buffer("probabilities", batch * C)
        dLogits = buffer("dLogits", batch * C)
        dContext = buffer("dContext", batch * S)
        dHidden = buffer("dHidden", rows * S)
        dScores = buffer("dScores", rows)
        dAttentionHidden = buffer("dAttentionHidden", rows * A)
        dGates = (0..<2).map { buffer("dGates\($0)", rows * G) }
        dHiddenNext = buffer("dHiddenNext", batch * H)
        dCellNext = buffer("dCellNext", batch * H)
        dInput = buffer("dInput", rows * D)
    }

    /// Dropout masks for the batch just prepared: each value 0 with probability `rate`, else 1/(1-rate).
    func drawDropoutMasks(network: LSTMAttentionNetwork, steps: Int, count: Int, rate: Float, generator: inout SplitMix64) {
        let keep = 1 - rate, scale = rate > 0 ? 1 / keep : 1
        for index in 0..<(steps * count * network.embeddingDimension) {
            embeddingMask[index] = generator.nextUnitFloat() < rate ? 0 : scale
        }
        for index in 0..<(count * network.stateSize) {
            contextMask[index] = generator.nextUnitFloat() < rate ? 0 : scale
        }
    }

    private func buffer(_ name: String, _ size: Int) -> UnsafeMutablePointer<Float> {
        if let existing = storage[name], let held = capacity[name], held >= size { return existing }
        storage[name]?.deallocate()
        let grown = max(size, (capacity[name] ?? 0) * 3 / 2)
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: grown)
        pointer.initialize(repeating: 0, count: grown)
        storage[name] = pointer
        capacity[name] = grown
        return pointer
    }
}
