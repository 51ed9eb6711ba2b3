// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Yima",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "yima", targets: ["yima"]),
        .library(name: "YimaService", targets: ["YimaService"]),
        // The fuzz targets, for the libFuzzer build in Fuzz/ (its own package and scratch path).
        .library(name: "YimaFuzzTargets", targets: ["YimaFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C system libraries, each with a small header shim for what does not import.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CRsvg", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),

        // Layers, arrows pointing down only (see docs/ARCHITECTURE.md).
        // User-facing text: `Language` and the message catalogs each module ships as
        // Messages.json (docs/messages.md).
        .target(name: "YimaText"),
        .target(name: "YimaCrypto", dependencies: ["COpenSSL"]),
        .target(name: "YimaCodes", dependencies: ["YimaText", "YimaCrypto", "CQRencode", "CPNG"],
                resources: [.copy("GS1/gs1-syntax-dictionary.txt"), .copy("Messages.json")]),
        .target(name: "YimaRecords", dependencies: ["YimaText", "YimaCrypto", "YimaCodes"],
                resources: [.copy("Rules/banned-pesticides.json"), .copy("Messages.json")]),
        .target(name: "YimaLedger", dependencies: ["YimaCrypto"]),
        .target(name: "YimaStore", dependencies: [
            "YimaRecords", "YimaLedger", "YimaCodes",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),  // DirectStatement: sqlite3_* on GRDB's statements
        ]),
        // The store on PostgreSQL for scale-out (docs/architecture.md): the same protocols,
        // in its own module so that YimaStore and an embedded build do not link postgres-nio.
        .target(name: "YimaPostgres", dependencies: [
            "YimaStore", "YimaRecords", "YimaLedger", "YimaCodes",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Labels: templates (Mustache → SVG), text fitted with Pango, SVG → PNG/PDF with librsvg
        // and cairo, thermal-printer jobs (ZPL, TSPL). Knows codes, not the store.
        .target(name: "YimaLabels", dependencies: [
            "YimaText", "YimaCodes", "CRsvg", "CPangoCairo",
            .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.copy("Messages.json")]),
        .target(name: "YimaService", dependencies: ["YimaText", "YimaCrypto", "YimaCodes", "YimaRecords", "YimaLedger", "YimaStore",
                                                    "YimaPostgres", "YimaLabels"],
                resources: [.copy("Messages.json")]),
        // HTTP over the use cases; sees no store (no YimaStore, no GRDB).
        .target(name: "YimaServer", dependencies: [
            "YimaService", "YimaText", "YimaCodes", "YimaCrypto", "YimaRecords", "YimaLedger",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        ], resources: [.copy("Messages.json")]),
        // Every command but `serve`: parse, call one use case, print. Knows neither the
        // server nor the store.
        .target(name: "YimaCLI", dependencies: [
            "YimaService", "YimaText", "YimaCrypto", "YimaCodes", "YimaRecords", "YimaLedger", "YimaLabels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], resources: [.copy("Messages.json")]),
        // The `yima` executable: the root command, and `serve` over the server.
        .executableTarget(name: "yima", dependencies: [
            "YimaCLI", "YimaService", "YimaServer", "YimaLabels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "yima-bench", dependencies: ["YimaService", "YimaCodes", "YimaCrypto", "YimaLabels", "YimaLedger", "YimaRecords", "YimaStore",
                                                                 .product(name: "Hummingbird", package: "hummingbird")],
                          path: "Sources/Bench"),

        // What each fuzz target checks on any input (Fuzz/README.md); run by libFuzzer
        // (`make fuzz`) and over the seed corpora by YimaFuzzTests (`make test`).
        .target(name: "YimaFuzzTargets", dependencies: ["YimaService", "YimaServer", "YimaCodes", "YimaCrypto", "YimaLedger",
                                                        "YimaRecords", "YimaStore",
                                                        .product(name: "Hummingbird", package: "hummingbird"),
                                                        .product(name: "Logging", package: "swift-log")]),

        .target(name: "YimaTestSupport", path: "Tests/Support"),
        // Every module's message catalog: complete in every language (docs/messages.md).
        .testTarget(name: "YimaTextTests", dependencies: ["YimaText", "YimaCodes", "YimaRecords", "YimaLabels", "YimaService", "YimaCLI",
                                                    "YimaServer"]),
        .testTarget(name: "YimaCryptoTests", dependencies: ["YimaCrypto", "YimaTestSupport"]),
        .testTarget(name: "YimaCodesTests", dependencies: ["YimaCodes", "YimaCrypto", "YimaText", "CPNG", "YimaTestSupport"],
                    exclude: ["fixtures"]),
        .testTarget(name: "YimaRecordsTests", dependencies: ["YimaRecords", "YimaCodes", "YimaCrypto", "YimaTestSupport"], exclude: ["fixtures"]),
        .testTarget(name: "YimaLedgerTests", dependencies: ["YimaLedger", "YimaCrypto", "YimaTestSupport"], exclude: ["fixtures"]),
        .testTarget(name: "YimaLabelsTests", dependencies: ["YimaLabels", "YimaCodes", "YimaCrypto", "YimaTestSupport"]),
        .testTarget(name: "YimaStoreTests", dependencies: ["YimaStore", "YimaPostgres", "YimaCrypto", "YimaLedger", "YimaTestSupport"]),
        .testTarget(name: "YimaServiceTests", dependencies: ["YimaService", "YimaCodes", "YimaCrypto", "YimaRecords", "YimaLedger",
                                                       "YimaLabels", "YimaStore", "YimaTestSupport"]),
        .testTarget(name: "YimaServerTests", dependencies: [
            "YimaServer", "YimaService", "YimaStore", "YimaCodes", "YimaCrypto", "YimaRecords", "YimaLedger", "YimaTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "YimaFuzzTests", dependencies: ["YimaFuzzTargets", "YimaTestSupport"]),
        // Runs the built `yima` binary as a user would; depends on it only through the file system.
        .testTarget(name: "YimaCLITests", dependencies: ["YimaTestSupport"]),
    ]
)
