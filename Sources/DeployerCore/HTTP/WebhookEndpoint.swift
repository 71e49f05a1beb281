import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /webhook`: bounded body read, the pure `WebhookHandler` decision, then a durable record.
///
/// Order of work: the declared length is checked before reading; the body is read up to the cap (413
/// past it); the handler verifies the signature over the raw bytes before any parsing; only an accepted
/// delivery touches the database, and it is committed (with group commit) before the 202 goes out.
struct WebhookEndpoint: Sendable {
    let handler: WebhookHandler
    let recorder: DeliveryRecorder
    let maxBodyBytes: Int
    /// The whole body must arrive within this time of the request's start.
    let readTimeout: Duration
    let logger: Logger
    let metrics: DeployerMetrics
    let onQueued: @Sendable (Int64) -> Void

    /// The answer to an accepted or ignored delivery.
    struct Acknowledgement: Codable, Sendable {
        var status: String
        var jobID: Int64?
        var delivery: String?
        var reason: String?
        enum CodingKeys: String, CodingKey { case status, delivery, reason, jobID = "job_id" }
    }

    func respond(to request: Request) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            return reject(.payloadTooLarge(limit: maxBodyBytes), request: request)
        }
        var body: [UInt8] = []
        let deadline = ContinuousClock.now.advanced(by: readTimeout)
        if request.method == .post {
            for try await chunk in request.body {
                guard body.count + chunk.readableBytes <= maxBodyBytes else { return reject(.payloadTooLarge(limit: maxBodyBytes), request: request) }
                // A client trickling bytes never looks idle; it still gets no more than the read timeout.
                guard ContinuousClock.now <= deadline else { return reject(.requestTimeout, request: request) }
                body.append(contentsOf: chunk.readableBytesView)
            }
        }
        var headers: [(String, String)] = []
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        let decision = handler.decide(WebhookRequest(method: request.method.rawValue, headers: headers, body: body))
        switch decision {
        case .rejected(let error):
            return reject(error, request: request)
        case .pong:
            metrics.recordDelivery(result: "pong")
            return try JSONResponse.make(.ok, Acknowledgement(status: "pong"))
        case .ignored(let reason):
            metrics.recordDelivery(result: "ignored")
            logger.info("delivery ignored", metadata: ["deploy.reason": "\(reason)"])
            return try JSONResponse.make(.accepted, Acknowledgement(status: "ignored", reason: reason))
        case .accepted(let release):
            let outcome = try await recorder.record(release)
            metrics.recordDelivery(result: outcome.metricLabel)
            var metadata: Logger.Metadata = [
                "deploy.tag": "\(release.tag)", "deploy.repository": "\(release.repository)", "deploy.delivery": "\(release.deliveryID)",
            ]
            switch outcome {
            case .queued(let jobID):
                metadata["deploy.job"] = "\(jobID)"
                logger.info("release queued", metadata: metadata)
                onQueued(jobID)
                return try JSONResponse.make(.accepted, Acknowledgement(status: "queued", jobID: jobID, delivery: release.deliveryID))
            case .duplicateDelivery(let jobID):
                logger.info("redelivery ignored", metadata: metadata)
                return try JSONResponse.make(.accepted, Acknowledgement(status: "duplicate_delivery", jobID: jobID, delivery: release.deliveryID))
            case .duplicateRelease(let jobID):
                logger.info("release already known", metadata: metadata)
                return try JSONResponse.make(.accepted, Acknowledgement(status: "duplicate_release", jobID: jobID, delivery: release.deliveryID))
            case .blockedVersion(let reason):
                logger.info("version is marked bad", metadata: metadata)
                return try JSONResponse.make(.accepted, Acknowledgement(status: "blocked", delivery: release.deliveryID, reason: reason))
            }
        }
    }

    /// Refusals are counted in `deployer_webhook_deliveries_total` and logged at debug only: a flood of
    /// forged requests must not become a flood of log lines.
    private func reject(_ error: WebhookError, request: Request? = nil) -> Response {
        metrics.recordDelivery(result: error.code)
        // Every refusal is in the log (a misconfigured forge shows up here first), with what it was and
        // from where; never a signature, a token or the body.
        var metadata: Logger.Metadata = ["deploy.reason": "\(error.code)", "deploy.status": "\(error.status)"]
        if let request {
            for (key, header) in [("deploy.delivery", "X-GitHub-Delivery"), ("deploy.delivery", "X-Gitea-Delivery"),
                                  ("deploy.delivery", "X-Gitlab-Event-UUID"), ("deploy.event", "X-GitHub-Event"),
                                  ("deploy.event", "X-Gitea-Event"), ("deploy.event", "X-Gitlab-Event")] {
                if let name = HTTPField.Name(header), let value = request.headers[name], value.utf8.count <= 128,
                   value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
                    metadata[key] = "\(value)"
                }
            }
        }
        logger.notice("delivery refused", metadata: metadata)
        return JSONResponse.error(HTTPResponse.Status(code: error.status), code: error.code, message: error.description)
    }
}
