import Foundation

/// Adam with decoupled weight decay (Loshchilov and Hutter), bias-corrected moments.
struct AdamW: Sendable {
    var first: [Float]
    var second: [Float]
    let decayMask: [Float]
    var steps = 0
    let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    init(count: Int, decayMask: [Float]) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
        self.decayMask = decayMask
    }

    mutating func step(parameters: inout [Float], gradient: UnsafePointer<Float>, learningRate: Float, weightDecay: Float) {
        steps += 1
        let correction1 = 1 - powf(beta1, Float(steps)), correction2 = 1 - powf(beta2, Float(steps))
        for index in parameters.indices {
            let g = gradient[index]
            first[index] = beta1 * first[index] + (1 - beta1) * g
            second[index] = beta2 * second[index] + (1 - beta2) * g * g
            let update = (first[index] / correction1) / ((second[index] / correction2).squareRoot() + epsilon)
            parameters[index] -= learningRate * (update + weightDecay * decayMask[index] * parameters[index])
        }
    }
}
