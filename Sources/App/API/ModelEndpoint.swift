import Foundation
import HTTPServing
import Hummingbird
import IntentML
import NIOCore

/// `GET /v1/model`, `POST /admin/reload` and the probes' bodies.
enum ModelEndpoint {
    /// `POST /admin/reload` with `Authorization: Bearer <token>`: 200 with the new and previous versions,
    /// or 422 with why the bundle was refused (the previous model keeps serving).
    static func reload(_ request: Request, reloader: ModelReloader?, token: AdminToken?) async throws -> Response {
        // Who is asking comes first: no credentials is a 401 whether or not admin routes are on.
        let authorization = request.headers[.authorization]
        guard let reloader, let token else {
            if authorization == nil { return BearerToken.challenge() }
            throw APIError(status: .forbidden, code: "admin_disabled", message: "admin routes are off: start intent serve with --admin-token-file")
        }
        guard token.accepts(authorization: authorization) else { return BearerToken.challenge() }
        switch await reloader.reload() {
        case let .reloaded(previous, current):
            var out: [UInt8] = Array(#"{"status":"reloaded""#.utf8)
            PredictionEndpoint.appendModel(current, to: &out)
            out.append(contentsOf: #","previous_version":"#.utf8)
            JSONText.appendQuoted(previous.version, to: &out)
            out.append(UInt8(ascii: "}"))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
        case .failed(let reason):
            throw APIError(status: .unprocessableContent, code: "reload_failed", message: "the bundle was refused and the previous model keeps serving: \(reason)")
        }
    }

    /// The bundle's manifest as stored (labels, hyperparameters, metrics, training-data fingerprint).
    static func manifest(_ snapshot: ServedModel.Snapshot) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(snapshot.manifest)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func status(_ status: String, model manifest: ModelManifest?) -> Response {
        var out: [UInt8] = Array(#"{"status":"#.utf8)
        JSONText.appendQuoted(status, to: &out)
        if let manifest { PredictionEndpoint.appendModel(manifest, to: &out) }
        out.append(UInt8(ascii: "}"))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }
}
