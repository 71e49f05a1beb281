// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "IntentOps",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intent", targets: ["App"]),
        .executable(name: "deployer", targets: ["Deployer"]),
        .library(name: "IntentML", targets: ["IntentML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Helpers the ML library and the executables share that are not ML: atomic file writes, JSON string
        // escaping, SHA-256 (bundles are checksummed without a crypto dependency). Foundation only.
        .target(name: "IntentSupport"),
        // The ML library depends on Foundation only (shared/DESIGN.md), through IntentSupport as well.
        // The demo dataset is compiled in (embedInCode): the executables stay one file, with no resource bundle.
        .target(name: "IntentML", dependencies: ["IntentSupport"], resources: [
            .embedInCode("Data/Resources/demo-dataset.tsv"), .embedInCode("Data/Resources/demo-out-of-domain.txt"),
        ]),
        // Shared by both servers: swift-log as JSON lines when standard error is not a terminal.
        .target(name: "Observability", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // The HTTP server pieces both executables share: connection limits, read deadlines and refusals
        // ahead of Hummingbird's codec, byte budgets, the drain deadline and the JSON error shape.
        // The HTML pages of an evaluation and of a tuning study, rendered from IntentML's reports: not part of
        // the ML library, which keeps to models, data and metrics.
        .target(name: "IntentReports", dependencies: ["IntentML"]),
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Optional experiment tracking: mirrors a recorded run to an MLflow server through its REST API.
        .target(
            name: "MLflowTracking",
            dependencies: [
                // How settings are named (ModelHyperparameters.flattened); IntentML is Foundation only.
                "IntentML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "App",
            dependencies: [
                "IntentML", "IntentReports", "IntentSupport", "Observability", "MLflowTracking", "HTTPServing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                // The request log: SQLite through GRDB, written by a service beside the server.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // PredictRoute's event-loop responder works on NIO's HTTP/1 request and response parts.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The deployer never imports the ML code (shared/STYLE.md): its logic lives in DeployerCore so
        // that tests can drive it without a process, and `deployer` is a thin executable around it.
        // Three glibc calls Swift's Glibc module does not expose (pipe2, posix_spawn chdir and closefrom).
        .target(name: "CProcessSpawn"),
        .target(
            name: "DeployerCore",
            dependencies: [
                "CProcessSpawn", "Observability", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Commit statuses to the forge, and the smoke checks.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "Deployer",
            dependencies: [
                "DeployerCore", "Observability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "DeployerCoreTests",
            dependencies: [
                "DeployerCore", "Observability",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // End-to-end: the built `deployer` binary, live over HTTP, with a real git remote.
        .testTarget(
            name: "DeployerTests",
            dependencies: [
                "Deployer", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Not shipped: the bare Hummingbird route that scripts/bench-api.sh measures `intent serve` against.
        .executableTarget(name: "BareRoute", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // What the test targets share: free ports, scratch directories, the external tools some tests need.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "IntentMLTests", dependencies: ["IntentML", "IntentReports", "IntentSupport", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "IntentML", "IntentSupport", "MLflowTracking", "HTTPServing", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
