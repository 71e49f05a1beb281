import Hummingbird

// The reference `scripts/bench-api.sh` measures `intent serve` against (issue 4: ">= 70% of a bare
// Hummingbird route measured in the same run"): one POST route that collects the body like
// `POST /v1/predict` does and answers a constant, with no middleware and the basic request context.
// Usage: bare-route PORT
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8081
let router = Router()
router.post("/v1/predict") { request, _ -> String in
    let body = try await request.body.collect(upTo: 1 << 20)
    return #"{"bytes":\#(body.readableBytes)}"#
}
router.get("/healthz") { _, _ in "ok" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"))
try await app.runService()
