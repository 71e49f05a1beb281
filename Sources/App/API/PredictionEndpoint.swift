import Foundation
import HTTPServing
import Hummingbird
import IntentML
import NIOCore

/// `POST /v1/predict` and `GET /v1/predict`: one text or a batch, with top-k alternatives and, on
/// request, the exact per-token explanation of the chosen intent.
///
/// Answers are written with the same field writer as `intent predict --format jsonl`, so the API and the
/// batch CLI answer the same sentence identically.
struct PredictionEndpoint: Sendable {
    let model: ServedModel
    let configuration: APIConfiguration
    let metrics: APIMetrics
    let requestLog: (any PredictionLog)?
    /// Bytes of request bodies and of answers held at once, by all requests together.
    let budgets: APIBudgets

    func post(_ request: Request, requestID: String) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > configuration.maxBodyBytes {
            throw APIError.payloadTooLarge(limit: configuration.maxBodyBytes)
        }
        // Held until the answer is built: the body, then the texts parsed from it.
        let held = ByteReservation(budgets.bodies)
        if let declared, !held.grow(to: declared) { throw APIError.overloaded("request bodies") }
        var buffer = ByteBuffer()
        for try await part in request.body {
            let total = buffer.readableBytes + part.readableBytes
            guard total <= configuration.maxBodyBytes else { throw APIError.payloadTooLarge(limit: configuration.maxBodyBytes) }
            guard held.grow(to: total) else { throw APIError.overloaded("request bodies") }
            buffer.writeImmutableBuffer(part)
        }
        let body = try buffer.withUnsafeReadableBytes { bytes throws(APIError) in try PredictRequest.parse(bytes) }
        buffer = ByteBuffer()
        let answer = ByteReservation(budgets.responses)
        let bytes = try self.answer(body, requestID: requestID, reservation: answer)
        return Self.response(bytes, holding: answer)
    }

    /// Answers a parsed `POST /v1/predict` body: the bytes of the 200 answer.
    ///
    /// Everything that can be refused is refused before anything is predicted, counted or logged, so a
    /// refusal has no side effect: the event-loop responder (`PredictRoute`) relies on it to hand a refused request to the router.
    /// `served` is the model to answer with (the caller's snapshot; nil: the one serving now).
    func answer(_ body: PredictRequest, requestID: String, reservation: ByteReservation? = nil,
                served: ServedModel.Snapshot? = nil) throws(APIError) -> [UInt8] {
        switch (body.text, body.texts) {
        case let (text?, nil):
            return try answer(texts: [text], batch: false, topK: body.topK, explain: body.explain ?? false, requestID: requestID,
                              reservation: reservation, served: served)
        case let (nil, texts?):
            return try answer(texts: texts, batch: true, topK: body.topK, explain: body.explain ?? false, requestID: requestID,
                              reservation: reservation, served: served)
        default:
            throw APIError.invalidField("text", "or 'texts' is needed, exactly one of them")
        }
    }

    /// `GET /v1/predict?text=...&top_k=...&explain=...`, the query read as a form (`+` is a space). As for
    /// the body of a POST: what cannot be read (an invalid escape, not UTF-8, a wrong type) is 400, a
    /// value out of range or missing 422.
    func get(_ request: Request, requestID: String) throws -> Response {
        let query = try QueryString.parse(request.uri.query ?? "")
        guard let text = query["text"] else { throw APIError.invalidField("text", "is needed: GET /v1/predict?text=...") }
        var topK: Int?
        if let raw = query["top_k"] {
            guard let value = Int(raw) else { throw QueryString.invalid("parameter 'top_k' must be a whole number, got '\(raw)'") }
            topK = value
        }
        var explain = false
        if let raw = query["explain"] {
            guard let value = Bool(raw) else { throw QueryString.invalid("parameter 'explain' must be true or false, got '\(raw)'") }
            explain = value
        }
        let reservation = ByteReservation(budgets.responses)
        return Self.response(try answer(texts: [text], batch: false, topK: topK, explain: explain, requestID: requestID,
                                        reservation: reservation), holding: reservation)
    }

    /// A 200 with a JSON body.
    static func response(_ body: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A 200 with a JSON body whose bytes stay counted in the answers' budget until it is written.
    static func response(_ body: [UInt8], holding reservation: ByteReservation) -> Response {
        guard reservation.bytes > 0 else { return response(body) }
        let buffer = ByteBuffer(bytes: body)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(contentLength: buffer.readableBytes) { writer in
                            // The reservation is freed with this closure, once the answer is written (or dropped).
                            withExtendedLifetime(reservation) {}
                            try await writer.write(buffer)
                        })
    }

    /// Validates and predicts; a single text answers an object, a batch `{"predictions": [...]}`. Every text
    /// is checked before the first is predicted.
    func answer(texts: [String], batch: Bool, topK: Int?, explain: Bool, requestID: String,
                reservation: ByteReservation? = nil, served: ServedModel.Snapshot? = nil) throws(APIError) -> [UInt8] {
        let started = ContinuousClock.now
        let served = served ?? model.current
        let asked = topK ?? 1
        guard (1...APILimits.maxTopK).contains(asked) else {
            throw APIError.invalidField("top_k", "must be in 1...\(APILimits.maxTopK)")
        }
        // A model with fewer classes than asked for answers all of them.
        let k = min(asked, max(1, served.classifier.labels.classes.count))
        guard !texts.isEmpty else { throw APIError.invalidField("texts", "is empty") }
        guard texts.count <= configuration.maxBatch else {
            throw APIError.invalidField("texts", "has \(texts.count) texts; at most \(configuration.maxBatch) per request")
        }
        for (index, text) in texts.enumerated() {
            let field = batch ? "texts[\(index)]" : "text"
            let length = text.unicodeScalars.count
            guard length <= configuration.maxTextCharacters else {
                throw APIError.invalidField(field, "is \(length) characters long; at most \(configuration.maxTextCharacters)")
            }
            guard !BlankText.isBlank(text) else {
                throw APIError.invalidField(field, text.isEmpty ? "is empty" : "is only whitespace")
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(256 * texts.count)
        var scratch = IntentClassifier.Scratch()
        // Counted and logged once the whole answer is built: an answer refused half-way has no side effect.
        var answers: [(text: String, intent: String, confidence: Float)] = []
        answers.reserveCapacity(texts.count)
        if batch { out.append(contentsOf: #"{"predictions":["#.utf8) }
        for (index, text) in texts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let prediction = served.classifier.predict(text, topK: k, scratch: &scratch)
            answers.append((text, prediction.intent, prediction.confidence))
            PredictionFormatter.appendJSONFields(text: text, prediction: prediction, to: &out)
            if explain { Self.appendExplanation(of: text, by: served.classifier, to: &out) }
            if !batch { Self.appendModel(served.manifest, to: &out) }
            out.append(UInt8(ascii: "}"))
            if out.count > APILimits.unbudgetedResponseBytes { try Self.hold(out.count, in: reservation) }
        }
        if batch {
            out.append(UInt8(ascii: "]"))
            Self.appendModel(served.manifest, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        for answer in answers { metrics.recordPrediction(intent: answer.intent, confidence: answer.confidence) }
        if let requestLog {
            let elapsed = ContinuousClock.now - started
            let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
            let time = Date().timeIntervalSince1970
            for answer in answers {
                requestLog.record(RequestLogEntry(time: time, requestID: requestID, text: answer.text, intent: answer.intent,
                                                  confidence: answer.confidence, latencyMicroseconds: micros,
                                                  modelVersion: served.manifest.version))
            }
        }
        return out
    }

    /// Counts an answer of `bytes` so far against the answers' budget (twice: the growing buffer and its
    /// copy into the response); refuses one that grew past the largest answer.
    private static func hold(_ bytes: Int, in reservation: ByteReservation?) throws(APIError) {
        guard bytes <= APILimits.maxResponseBytes else {
            throw APIError.invalidField("texts", "asks for an answer larger than \(APILimits.maxResponseBytes) bytes; send fewer texts per request (or without explain)")
        }
        guard let reservation else { return }
        // In steps of a quarter of the largest answer, so a growing answer takes the budget a few times only.
        let step = APILimits.maxResponseBytes / 4
        guard reservation.grow(to: min(2 * APILimits.maxResponseBytes, ((2 * bytes) / step + 1) * step)) else {
            throw APIError.overloaded("answers being built")
        }
    }

    /// Appends `,"model":{"name":...,"version":...}`: which model answered (predictions, probes, reload).
    static func appendModel(_ manifest: ModelManifest, to out: inout [UInt8]) {
        out.append(contentsOf: #","model":{"name":"#.utf8)
        JSONText.appendQuoted(manifest.name, to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        JSONText.appendQuoted(manifest.version, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `,"explanation":{...}` in the shape every model kind shares: the n-gram model's exact
    /// contributions with its strongest features, or the LSTM's gradient-times-input attributions with each
    /// token's attention weight (and no n-gram features). An ensemble is explained by its n-gram member
    /// (its `intent` says which intent that member's contributions are for).
    static func appendExplanation(of text: String, by classifier: IntentClassifier, to out: inout [UInt8]) {
        switch classifier {
        case .ensemble(let model):
            appendExplanation(of: text, by: .ngram(model.ngram), to: &out)
            return
        case .ngram(let model):
            let explanation = model.explain(text)
            appendExplanationHead(intent: explanation.intent, score: explanation.score, bias: explanation.bias, to: &out)
            for (index, token) in explanation.tokens.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendEntry("token", token.token, "contribution", token.contribution, to: &out)
            }
            out.append(contentsOf: #"],"features":["#.utf8)
            for (index, feature) in explanation.features.prefix(APILimits.maxExplainedFeatures).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendEntry("feature", feature.feature, "contribution", feature.contribution,
                                     extra: ("kind", feature.kind.rawValue), to: &out)
            }
        case .lstmAttention(let model):
            let explanation = model.explain(text)
            appendExplanationHead(intent: explanation.intent, score: explanation.score, bias: explanation.bias, to: &out)
            for (index, token) in explanation.tokens.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendEntry("token", token.token, "contribution", token.contribution,
                                     extraNumber: ("attention", token.attention), to: &out)
            }
            out.append(contentsOf: #"],"features":["#.utf8)
        }
        out.append(contentsOf: "]}".utf8)
    }

    /// `,"explanation":{"intent":...,"score":...,"bias":...,"tokens":[`, the part both kinds share.
    private static func appendExplanationHead(intent: String, score: Float, bias: Float, to out: inout [UInt8]) {
        out.append(contentsOf: #","explanation":{"intent":"#.utf8)
        JSONText.appendQuoted(intent, to: &out)
        out.append(contentsOf: #","score":"#.utf8)
        out.append(contentsOf: JSONText.number(score).utf8)
        out.append(contentsOf: #","bias":"#.utf8)
        out.append(contentsOf: JSONText.number(bias).utf8)
        out.append(contentsOf: #","tokens":["#.utf8)
    }
}
