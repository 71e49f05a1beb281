// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "IntentOps",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "intent", targets: ["App"]),
        .library(name: "IntentML", targets: ["IntentML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The ML library depends on Foundation only (shared/DESIGN.md).
        .target(name: "IntentML"),
        .executableTarget(
            name: "App",
            dependencies: [
                "IntentML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "IntentMLTests", dependencies: ["IntentML"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AppTests", dependencies: ["App", "IntentML"]),
    ]
)
