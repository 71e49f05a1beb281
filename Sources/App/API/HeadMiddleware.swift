import Hummingbird

/// `HEAD` on every `GET` route (RFC 9110 9.3.2): `getAndHead` routes both methods to the same handler,
/// and this middleware keeps the answer's status and headers (`Content-Length` included) and drops its
/// body. Routing comes before middleware in Hummingbird, so a HEAD cannot be turned into a GET here.
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var response = try await next(request, context)
        let length = response.body.contentLength
        response.body = ResponseBody()
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}

extension Router {
    /// Routes `GET path` and `HEAD path` to `handler` (`HeadMiddleware` drops the HEAD answer's body).
    @discardableResult
    func getAndHead(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        get(path, use: handler)
        return head(path, use: handler)
    }
}
