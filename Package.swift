// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "standin",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "standin", targets: ["standin"]),
        .library(name: "StandinKit", targets: ["StandinKit"]),
        .library(name: "ProjectModel", targets: ["ProjectModel"]),
        .library(name: "AWSAuth", targets: ["AWSAuth"]),
        .library(name: "LambdaRuntime", targets: ["LambdaRuntime"]),
        .library(name: "APIGateway", targets: ["APIGateway"]),
        .library(name: "SampleEvents", targets: ["SampleEvents"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(
            name: "standin",
            dependencies: [
                "StandinKit", "SampleEvents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "StandinKit",
            dependencies: [
                "ProjectModel", "AWSAuth", "LambdaRuntime", "APIGateway", "SampleEvents", "ProcessLauncher",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ProjectModel",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "AWSAuth",
            dependencies: [
                "ProcessLauncher",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LambdaRuntime",
            dependencies: [
                "ProcessLauncher",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["RuntimeClients"]
        ),
        .target(
            name: "APIGateway",
            dependencies: [
                "JSONParsing",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "SampleEvents", dependencies: ["JSONParsing", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "JSONParsing"),
        .target(name: "ProcessLauncher"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "ProjectModelTests", dependencies: ["ProjectModel", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AWSAuthTests", dependencies: ["AWSAuth", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "ProcessLauncher", "TestSupport"]),
        .testTarget(name: "APIGatewayTests", dependencies: ["APIGateway", "TestSupport"]),
        .testTarget(name: "SampleEventsTests", dependencies: ["SampleEvents", "TestSupport"]),
        .testTarget(name: "StandinKitTests", dependencies: ["StandinKit", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], exclude: ["Fixtures"]),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
