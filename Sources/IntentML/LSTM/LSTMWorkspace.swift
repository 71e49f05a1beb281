/// The buffers of one forward and backward pass of `LSTMAttentionNetwork`, reused across batches and
/// regrown only when a batch needs more rows, so a training step or a prediction allocates nothing once warm.
///
/// One workspace belongs to one thread at a time (training gives each shard its own), hence
/// `@unchecked Sendable`: it moves between threads but is never shared by two.
final class LSTMWorkspace: @unchecked Sendable {
    /// What the buffers are sized for: the network's shapes, steps x batch rows, and batch rows.
    private var sizedFor: (network: LSTMAttentionNetwork, rows: Int, batch: Int)?
    private var owned: [UnsafeMutablePointer<Float>] = []

    // Forward. TB = steps x batch.
    /// [TB x D]
    private(set) var x = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB x D], 0 or 1/(1-p)
    private(set) var embeddingMask = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Per direction [TB x 4H]: the input projections, then the activated gates i f g o.
    private(set) var gates: [UnsafeMutablePointer<Float>] = []
    /// Per direction [TB x H]
    private(set) var cell: [UnsafeMutablePointer<Float>] = []
    /// Per direction [TB x H]: tanh(c)
    private(set) var cellTanh: [UnsafeMutablePointer<Float>] = []
    /// [TB x 2H]: [h_fwd ; h_bwd]
    private(set) var hidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB x A]
    private(set) var attentionHidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB]
    private(set) var scores = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB]
    private(set) var attention = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [B x 2H], after dropout
    private(set) var context = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [B x 2H], 0 or 1/(1-p)
    private(set) var contextMask = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [B x C]
    private(set) var probabilities = UnsafeMutablePointer<Float>.allocate(capacity: 0)

    // Backward.
    /// [B x C]
    private(set) var dLogits = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [B x 2H]
    private(set) var dContext = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB x 2H]
    private(set) var dHidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB]
    private(set) var dScores = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB x A]
    private(set) var dAttentionHidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Per direction [TB x 4H]
    private(set) var dGates: [UnsafeMutablePointer<Float>] = []
    /// [B x H]
    private(set) var dHiddenNext = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [B x H]
    private(set) var dCellNext = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// [TB x D]
    private(set) var dInput = UnsafeMutablePointer<Float>.allocate(capacity: 0)

    init() {
        owned = [x, embeddingMask, hidden, attentionHidden, scores, attention, context, contextMask, probabilities,
                 dLogits, dContext, dHidden, dScores, dAttentionHidden, dHiddenNext, dCellNext, dInput]
    }

    deinit {
        for pointer in owned { pointer.deallocate() }
    }

    /// Makes every buffer large enough for `steps x count` of `network`; a no-op once warm.
    func prepare(network: LSTMAttentionNetwork, steps: Int, count: Int) {
        let rows = max(1, steps * count), batch = max(1, count)
        if let sized = sizedFor, sized.network == network, sized.rows >= rows, sized.batch >= batch { return }
        // Grow by half again, so a slowly rising batch size does not reallocate every time.
        let (newRows, newBatch) = (max(rows, (sizedFor?.rows ?? 0) * 3 / 2), max(batch, (sizedFor?.batch ?? 0) * 3 / 2))
        for pointer in owned { pointer.deallocate() }
        owned = []
        func buffer(_ size: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: size)
            pointer.initialize(repeating: 0, count: size)
            owned.append(pointer)
            return pointer
        }
        let D = network.embeddingDimension, H = network.hiddenSize, G = network.gateSize, S = network.stateSize
        let A = network.attentionSize, C = network.classCount
        x = buffer(newRows * D)
        embeddingMask = buffer(newRows * D)
        gates = (0..<2).map { _ in buffer(newRows * G) }
        cell = (0..<2).map { _ in buffer(newRows * H) }
        cellTanh = (0..<2).map { _ in buffer(newRows * H) }
        hidden = buffer(newRows * S)
        attentionHidden = buffer(newRows * A)
        scores = buffer(newRows)
        attention = buffer(newRows)
        context = buffer(newBatch * S)
        contextMask = buffer(newBatch * S)
        probabilities = buffer(newBatch * C)
        dLogits = buffer(newBatch * C)
        dContext = buffer(newBatch * S)
        dHidden = buffer(newRows * S)
        dScores = buffer(newRows)
        dAttentionHidden = buffer(newRows * A)
        dGates = (0..<2).map { _ in buffer(newRows * G) }
        dHiddenNext = buffer(newBatch * H)
        dCellNext = buffer(newBatch * H)
        dInput = buffer(newRows * D)
        sizedFor = (network, newRows, newBatch)
    }

    /// Dropout masks for the batch just prepared: each value 0 with probability `rate`, else 1/(1-rate).
    func drawDropoutMasks(network: LSTMAttentionNetwork, steps: Int, count: Int, rate: Float, generator: inout SplitMix64) {
        let scale = rate > 0 ? 1 / (1 - rate) : 1
        for index in 0..<(steps * count * network.embeddingDimension) {
            embeddingMask[index] = generator.nextUnitFloat() < rate ? 0 : scale
        }
        for index in 0..<(count * network.stateSize) {
            contextMask[index] = generator.nextUnitFloat() < rate ? 0 : scale
        }
    }
}
