import Foundation

/// One epoch of SGD: the forward pass, the gradient of the loss, and the updates, side by side.
extension NGramTrainer {
    /// Runs one epoch over `order` and returns the mean loss.
    func runEpoch(epoch: Int, order: [Int], encoded: EncodedExamples, weights: TrainingWeights, totalSteps: Int, baseSeed: UInt64) -> Float {
        let workers = min(threads, max(1, order.count))
        if workers == 1 {
            return runSlice(order[...], stepBase: epoch * order.count, encoded: encoded, weights: weights, totalSteps: totalSteps, stride: 1)
        }
        let losses = LossAccumulator(count: workers)
        let chunk = (order.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            let end = min(order.count, start + chunk)
            guard start < end else { return }
            // Each worker's step count approximates the global one, for the learning-rate schedule.
            let loss = runSlice(order[start..<end], stepBase: epoch * order.count + worker, encoded: encoded,
                                weights: weights, totalSteps: totalSteps, stride: workers)
            losses.set(worker, loss * Float(end - start))
        }
        return losses.total() / Float(max(order.count, 1))
    }

    /// SGD over a slice of the epoch's order.
    func runSlice(_ slice: ArraySlice<Int>, stepBase: Int, encoded: EncodedExamples, weights: TrainingWeights, totalSteps: Int, stride: Int) -> Float {
        let dimension = hyperparameters.dimension
        let classCount = encoded.classCount
        let loss = hyperparameters.loss
        let baseRate = hyperparameters.learningRate
        let exponent = hyperparameters.poolingExponent
        var longest = 0
        for index in slice { longest = max(longest, encoded.offsets[index + 1] - encoded.offsets[index]) }
        var coefficients = [Float](repeating: 0, count: longest)
        var hidden = [Float](repeating: 0, count: dimension)
        var gradHidden = [Float](repeating: 0, count: dimension)
        var scores = [Float](repeating: 0, count: classCount)
        var totalLoss: Float = 0
        let e = weights.embeddings, w = weights.output, b = weights.bias
        guard let eBase = e.baseAddress, let wBase = w.baseAddress else { return 0 }

        encoded.featureWeights.withUnsafeBufferPointer { featureWeights in
            encoded.rows.withUnsafeBufferPointer { allRows in
                for (position, exampleIndex) in slice.enumerated() {
                    let step = stepBase + position * stride
                    let rate = baseRate * max(0, 1 - Float(step) / Float(max(totalSteps, 1)))
                    let rows = UnsafeBufferPointer(rebasing: allRows[encoded.offsets[exampleIndex]..<encoded.offsets[exampleIndex + 1]])
                    let count = rows.count
                    guard count > 0 else { continue }
                    let targets = encoded.targets[exampleIndex]
                    let exampleRate = rate * encoded.weights[exampleIndex]

                    let starts = encoded.kindStarts[exampleIndex]
                    hidden.withUnsafeMutableBufferPointer { h in
                        gradHidden.withUnsafeMutableBufferPointer { gh in
                          coefficients.withUnsafeMutableBufferPointer { c in
                            scores.withUnsafeMutableBufferPointer { p in
                                guard let hBase = h.baseAddress, let ghBase = gh.baseAddress else { return }
                                // Forward. h: [D] = sum_i c_i E[r_i], c from the supervised feature weights with the
                                // kinds balanced (`kindBalancedCoefficients`; exponent 1 is one weighted mean).
                                NGramClassifier.kindBalancedCoefficients(rows, starts: starts, weights: featureWeights, exponent: exponent, into: c)
                                NGramClassifier.weightedSum(rows, coefficients: UnsafeBufferPointer(c), embeddings: UnsafeBufferPointer(e), dimension: dimension, into: h)
                                // z: [C] = W h + b; p = softmax(z) or sigmoid(z)
                                NGramClassifier.logits(hidden: UnsafeBufferPointer(h), output: UnsafeBufferPointer(w), bias: UnsafeBufferPointer(b), into: p)
                                NGramClassifier.activate(p, loss: loss)

                                // Loss: cross-entropy of the target set.
                                switch loss {
                                case .softmax:
                                    totalLoss -= logf(max(p[Int(targets[0])], 1e-12))
                                case .oneVsAll:
                                    for c in 0..<classCount {
                                        let positive = targets.contains(Int32(c))
                                        totalLoss -= logf(max(positive ? p[c] : 1 - p[c], 1e-12))
                                    }
                                }

                                // Backward. dL/dz_c = p_c - y_c for both losses; scaled here by the rate.
                                ghBase.update(repeating: 0, count: dimension)
                                for c in 0..<classCount {
                                    let target: Float = targets.contains(Int32(c)) ? 1 : 0
                                    let gradient = exampleRate * (p[c] - target)
                                    if gradient == 0 { continue }
                                    let row = wBase + c * dimension
                                    // dL/dh += g_c * W_c (with W_c before its update), then W_c -= g_c * h.
                                    for d in 0..<dimension {
                                        ghBase[d] += gradient * row[d]
                                        row[d] -= gradient * hBase[d]
                                    }
                                    b[c] -= gradient
                                }
                                // dL/dE[r_i] = c_i * dL/dh for every feature row of the sentence.
                                for (i, row) in rows.enumerated() {
                                    let weight = c[i]
                                    let target = eBase + Int(row) * dimension
                                    for d in 0..<dimension { target[d] -= weight * ghBase[d] }
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
        return totalLoss / Float(max(slice.count, 1))
    }
}

/// Per-worker losses, each written by one worker only.
final class LossAccumulator: @unchecked Sendable {
    private let values: UnsafeMutableBufferPointer<Float>
    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: 0)
    }
    deinit { values.deallocate() }
    func set(_ index: Int, _ value: Float) { values[index] = value }
    func total() -> Float { values.reduce(0, +) }
}

extension NGramTrainer {
    /// The loss of one encoded example under `weights`, without updating anything (for gradient checks
    /// and diagnostics).
    func loss(ofExample exampleIndex: Int, encoded: EncodedExamples, weights: TrainingWeights) -> Float {
        let rows = Array(encoded.rows[encoded.offsets[exampleIndex]..<encoded.offsets[exampleIndex + 1]])
        let dimension = hyperparameters.dimension
        var hidden = [Float](repeating: 0, count: dimension)
        var probabilities = [Float](repeating: 0, count: encoded.classCount)
        hidden.withUnsafeMutableBufferPointer { h in
            encoded.featureWeights.withUnsafeBufferPointer { a in
                rows.withUnsafeBufferPointer { r in
                    let embeddings = UnsafeBufferPointer(weights.embeddings)
                    var coefficients = [Float](repeating: 0, count: r.count)
                    coefficients.withUnsafeMutableBufferPointer { c in
                        NGramClassifier.kindBalancedCoefficients(r, starts: encoded.kindStarts[exampleIndex], weights: a, exponent: hyperparameters.poolingExponent, into: c)
                        NGramClassifier.weightedSum(r, coefficients: UnsafeBufferPointer(c), embeddings: embeddings, dimension: dimension, into: h)
                    }
                }
            }
            probabilities.withUnsafeMutableBufferPointer { p in
                NGramClassifier.logits(hidden: UnsafeBufferPointer(h), output: UnsafeBufferPointer(weights.output), bias: UnsafeBufferPointer(weights.bias), into: p)
                NGramClassifier.activate(p, loss: hyperparameters.loss)
            }
        }
        let targets = encoded.targets[exampleIndex]
        switch hyperparameters.loss {
        case .softmax:
            return -logf(max(probabilities[Int(targets[0])], 1e-12)) * encoded.weights[exampleIndex]
        case .oneVsAll:
            var total: Float = 0
            for c in 0..<encoded.classCount {
                let positive = targets.contains(Int32(c))
                total -= logf(max(positive ? probabilities[c] : 1 - probabilities[c], 1e-12))
            }
            return total * encoded.weights[exampleIndex]
        }
    }
}
