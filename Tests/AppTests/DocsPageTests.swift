import Foundation
import HTTPTypes
import Testing
@testable import App
import TestSupport

/// `/docs` never loads anything from another origin: Swagger UI comes from the server's own files when
/// installed, and otherwise the page lists the routes and says how to install the viewer.
@Suite("Docs page")
struct DocsPageTests {
    /// Every URL the page loads (`src=` and `href=` of scripts and stylesheets).
    static func loaded(_ page: String) -> [String] {
        page.matches(of: /(?:src|href)="([^"]+)"/).map { String($0.1) }
    }

    @Test("with Swagger UI installed, /docs loads it from the server itself, which serves its files")
    func installedViewer() async throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        try "window.SwaggerUIBundle = function () {};".write(to: directory.appendingPathComponent("swagger-ui-bundle.js"), atomically: true, encoding: .utf8)
        try ".swagger-ui {}".write(to: directory.appendingPathComponent("swagger-ui.css"), atomically: true, encoding: .utf8)
        var configuration = APIConfiguration()
        configuration.docsAssets = try SwaggerUIAssets(directory: directory.path)
        let page = try await APIRouterTests.send(.get, "/docs", configuration: configuration)
        #expect(page.status == 200)
        #expect(Set(Self.loaded(page.body)) == ["docs/swagger-ui.css", "docs/swagger-ui-bundle.js", "openapi.json"], "\(Self.loaded(page.body))")
        let script = try await APIRouterTests.send(.get, "/docs/swagger-ui-bundle.js", configuration: configuration)
        #expect(script.status == 200 && script.body.contains("SwaggerUIBundle") && script.headers[.contentType] == "text/javascript; charset=utf-8")
        let style = try await APIRouterTests.send(.get, "/docs/swagger-ui.css", configuration: configuration)
        #expect(style.status == 200 && style.headers[.contentType] == "text/css; charset=utf-8")
    }

    @Test("without it, /docs loads nothing but the document and says how to install the viewer")
    func withoutViewer() async throws {
        let page = try await APIRouterTests.send(.get, "/docs")
        #expect(page.status == 200 && page.body.contains("scripts/install-swagger-ui.sh"))
        #expect(Self.loaded(page.body) == ["openapi.json"], "\(Self.loaded(page.body))")
        #expect(try await APIRouterTests.send(.get, "/docs/swagger-ui-bundle.js").status == 404)
    }

    @Test("--docs-assets naming a directory without the files is refused, naming the file and the fix")
    func missingFiles() throws {
        let directory = TestDirectories.make(prefix: "intent-cli").path
        #expect {
            _ = try SwaggerUIAssets.locate(explicit: directory, environment: [:])
        } throws: { error in
            "\(error)".contains("\(directory)/swagger-ui-bundle.js") && "\(error)".contains("install-swagger-ui.sh")
        }
        #expect(throws: SwaggerUIAssetsError.self) {
            _ = try SwaggerUIAssets.locate(explicit: nil, environment: ["INTENTOPS_SWAGGER_UI": directory])
        }
    }
}
