import HTTPServing
import Hummingbird
import IntentML
import NIOCore
import NIOHTTP1

/// `/v1/predict`, defined once: its routes on the router, its entry in `/openapi.json`, and the
/// event-loop responder that answers the cheap POSTs (`EventLoopResponder`) all come from here.
enum PredictRoute {
    static let path = "/v1/predict"
    static let methods: [HTTPRequest.Method] = [.get, .post]

    /// Largest body answered on the event loop. The event loop also reads and writes every other
    /// connection it serves, so a request that may take long goes to the router's task instead; a single
    /// sentence is a few hundred bytes. With `eventLoopMaxTexts` and no `explain`, the slowest requests
    /// answered there measured 0.5-1.6 ms per round trip (median; 4,000 Cyrillic characters the slowest),
    /// one sentence 0.2 ms.
    static let eventLoopMaxBodyBytes = 8 * 1024
    /// Most texts in a batch answered on the event loop.
    static let eventLoopMaxTexts = 32
    /// With a model slower than the n-gram one (the LSTM and the ensemble take about 0.1 ms for a short
    /// sentence and grow with its tokens), the event loop answers only one text in a body this small; the
    /// rest goes to the router's task.
    static let eventLoopSlowModelMaxBodyBytes = 1024

    /// Texts and body bytes the event loop answers with `classifier`; more goes to the router's task.
    static func eventLoopLimits(_ classifier: IntentClassifier) -> (texts: Int, bodyBytes: Int) {
        if case .ngram = classifier { return (eventLoopMaxTexts, eventLoopMaxBodyBytes) }
        return (1, eventLoopSlowModelMaxBodyBytes)
    }

    /// `POST` and `GET` (with `HEAD`) on the router.
    static func register(on router: Router<APIRequestContext>, endpoint: PredictionEndpoint) {
        router.post(RouterPath(stringLiteral: path)) { request, context in try await endpoint.post(request, requestID: context.requestID) }
        router.getAndHead(RouterPath(stringLiteral: path)) { request, context in try endpoint.get(request, requestID: context.requestID) }
    }

    /// The event-loop responder for `POST /v1/predict`: answers what the router would (the same body,
    /// `X-Request-ID`, metrics and request log) and declines anything the router should answer: a refusal,
    /// `explain`, more than `eventLoopMaxTexts` texts. A decline has no side effect (`PredictionEndpoint.answer`).
    static func eventLoopResponder(endpoint: PredictionEndpoint, serverName: String?) -> EventLoopResponder {
        EventLoopResponder(method: .POST, path: path, maxBodyBytes: min(eventLoopMaxBodyBytes, endpoint.configuration.maxBodyBytes),
                           serverName: serverName) { head, body, started in
            // As the router reads it: repeated fields are joined with ", ", which no acceptable id contains.
            let offered = head.headers[RequestIDMiddleware.headerName.rawName]
            let requestID = RequestIDMiddleware.id(offered: offered.isEmpty ? nil : offered.joined(separator: ", "))
            let answer: [UInt8]
            // One snapshot decides and answers (as the router's path takes one).
            let served = endpoint.model.current
            let limits = eventLoopLimits(served.classifier)
            guard (body?.readableBytes ?? 0) <= limits.bodyBytes else { return nil }
            do {
                let request = try (body ?? ByteBuffer()).withUnsafeReadableBytes { raw throws(APIError) in try PredictRequest.parse(raw) }
                guard request.explain != true, (request.texts?.count ?? 1) <= limits.texts else { return nil }
                answer = try endpoint.answer(request, requestID: requestID, served: served)
            } catch {
                return nil
            }
            endpoint.metrics.recordRequest(route: path, status: 200, duration: ContinuousClock.now - started, onEventLoop: true)
            return EventLoopAnswer(body: answer, headers: [("Content-Type", "application/json"),
                                                           (RequestIDMiddleware.headerName.rawName, requestID)])
        }
    }

    /// The path item of `/openapi.json` (OpenAPI 3.1).
    static var openAPIPathItem: String {
        #"""
        {
          "post": {
            "operationId": "predict",
            "summary": "Predict the intent of one text or of a batch",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}}
            },
            "responses": {
              "200": {
                "description": "The answer: an object for `text`, {\"predictions\": [...]} for `texts`.",
                "content": {"application/json": {"schema": {"oneOf": [
                  {"$ref": "#/components/schemas/Prediction"},
                  {"$ref": "#/components/schemas/PredictionBatch"}
                ]}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"$ref": "#/components/responses/Unprocessable"},
              "503": {"$ref": "#/components/responses/Overloaded"}
            }
          },
          "get": {
            "operationId": "predictQuery",
            "summary": "Predict the intent of one text given in the query string",
            "parameters": [
              {"name": "text", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "top_k", "in": "query", "required": false, "schema": {"$ref": "#/components/schemas/TopK"}},
              {"name": "explain", "in": "query", "required": false, "schema": {"type": "boolean"}}
            ],
            "responses": {
              "200": {"description": "The answer.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Prediction"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "422": {"$ref": "#/components/responses/Unprocessable"},
              "503": {"$ref": "#/components/responses/Overloaded"}
            }
          }
        }
        """#
    }
}
