// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "BoxOffice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "boxofficed", targets: ["BoxOfficeDaemon"]),
        .executable(name: "boxoffice-bench", targets: ["BoxOfficeBench"]),
        .executable(name: "boxoffice-fuzz", targets: ["BoxOfficeFuzz"]),
        .executable(name: "boxofficectl", targets: ["BoxOfficeCtl"]),
        .executable(name: "boxoffice-kiosk", targets: ["BoxOfficeKiosk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),

        // MARK: Libraries, lowest layer first
        .target(name: "BoxOfficeCore"),
        .target(name: "TOML"),
        .target(name: "Programme", dependencies: ["BoxOfficeCore", "TOML"]),
        .target(name: "Credentials", dependencies: ["CSodium"]),
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BoxOfficeStore",
            dependencies: ["BoxOfficeCore", "RedisClient", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Payments", dependencies: ["BoxOfficeCore", "RedisClient"]),
        .target(name: "KioskProtocol", dependencies: ["BoxOfficeCore"]),
        .target(
            name: "BoxOfficeServer",
            dependencies: [
                "BoxOfficeCore", "BoxOfficeStore", "Credentials", "KioskProtocol", "Payments", "RedisClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "CMallocTrim"),
        .target(name: "CLoadGenerator"),
        .executableTarget(
            name: "BoxOfficeDaemon",
            dependencies: [
                "BoxOfficeServer", "BoxOfficeStore", "BoxOfficeCore", "Credentials", "Payments", "RedisClient",
                "CMallocTrim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "OperatorConsole",
            dependencies: ["BoxOfficeCore", "BoxOfficeStore", "Payments", "Programme", "RedisClient"]
        ),
        .executableTarget(
            name: "BoxOfficeCtl",
            dependencies: [
                "OperatorConsole", "BoxOfficeStore", "BoxOfficeCore", "Payments", "Programme", "RedisClient", "TOML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BoxOfficeClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "BoxOfficeBench",
            dependencies: [
                "BoxOfficeClient", "BoxOfficeCore", "BoxOfficeStore", "BoxOfficeTesting", "CLoadGenerator",
                "Credentials",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "BoxOfficeFuzz", dependencies: ["KioskProtocol"]),
        .target(name: "TicketPrint", dependencies: ["CQRencode"]),
        .target(name: "KioskUI", dependencies: ["BoxOfficeCore", "TicketPrint"]),
        .executableTarget(
            name: "BoxOfficeKiosk",
            dependencies: [
                "KioskUI", "BoxOfficeCore", "TicketPrint",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "BoxOfficeTesting",
            dependencies: [
                "RedisClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "BoxOfficeCoreTests", dependencies: ["BoxOfficeCore", "Credentials"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "KioskUITests", dependencies: ["KioskUI", "BoxOfficeCore", "TicketPrint"]),
        .testTarget(name: "TicketPrintTests", dependencies: ["TicketPrint", "BoxOfficeTesting"]),
        .testTarget(
            name: "KioskTerminalTests",
            dependencies: [
                // The tests run the kiosk's binary: building them builds it.
                "BoxOfficeKiosk", "BoxOfficeClient", "BoxOfficeTesting", "Credentials", "RedisClient",
                // A test loads a programme of its own, as `boxofficectl load` does.
                "BoxOfficeCore", "BoxOfficeStore", "Programme",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ProgrammeTests", dependencies: ["Programme", "BoxOfficeCore"]),
        .testTarget(name: "KioskProtocolTests", dependencies: ["KioskProtocol", "BoxOfficeCore"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "BoxOfficeTesting"]),
        .testTarget(
            name: "BoxOfficeServerTests",
            dependencies: [
                "BoxOfficeServer", "BoxOfficeStore", "BoxOfficeCore", "Payments", "RedisClient", "BoxOfficeTesting",
                "BoxOfficeClient", "Credentials", "OperatorConsole", "Programme",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
