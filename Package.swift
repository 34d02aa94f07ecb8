// swift-tools-version:6.0
import PackageDescription

// The library is a pipeline, one target per stage:
// PLHModel (values) -> PLHBase (shared utilities) -> PLHLoad (files -> model) -> PLHCompute (figures)
// -> PLHRender (view model, Mustache, cmark, CSV) -> PLHPackage (outputs on disk).
// PLHBilan is the public facade; PLHCLI and plh-bilan are the thin command line.
let package = Package(
    name: "PLHBilan",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PLHBilan", targets: ["PLHBilan"]),
        .executable(name: "plh-bilan", targets: ["plh-bilan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The web application (PLHServer): HTTP server, bcrypt, and an embedded SQLite.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        // multipart/form-data bodies: uploaded tables, imports and project zips.
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            path: "Sources/CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // Debian's libyaml, read and written by PLHYAML (a copy of libyaml inside the binary is what Debian refuses).
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libdeflate's deflate and CRC-32 for the submission archives; SHA-256 (sha256.c) and XXH64 written here.
        .target(name: "CCodecs", linkerSettings: [.linkedLibrary("deflate")]),
        // One C function: the atomic exchange of two folders (renameat2), for outputs that are never half-written.
        .target(name: "CAtomicSwap"),
        .target(name: "PLHModel"),
        // YAML as located nodes, keys in order: plh.yaml and the other YAML files, read and edited.
        .target(name: "PLHYAML", dependencies: ["CYAML"]),
        // Utilities every stage uses: French formatting, SHA-256, atomic output, parallel work.
        .target(name: "PLHBase", dependencies: ["PLHModel", "CCodecs", "CAtomicSwap"]),
        // Spreadsheet/ reads .xlsx and .ods tables (ZIPFoundation for the archive, a small XML scanner of its own).
        .target(name: "PLHLoad", dependencies: [
            "PLHModel", "PLHBase", "PLHYAML", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "PLHCompute", dependencies: ["PLHModel"]),
        .target(
            name: "PLHTemplates",
            dependencies: ["PLHModel"],
            path: "Templates",
            resources: [.copy("defaut"), .copy("web")]
        ),
        .target(
            name: "PLHRender",
            dependencies: [
                "PLHModel", "PLHBase", "PLHCompute", "CCmark", "PLHTemplates",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(name: "PLHPackage", dependencies: [
            "PLHModel", "PLHBase", "PLHRender", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Imports: a project created from the DGCL file, Sitadel permits and social-housing approvals into its data.
        .target(
            name: "PLHImport",
            dependencies: ["PLHModel", "PLHBase", "PLHLoad", "PLHYAML"],
            resources: [.copy("Donnees")]
        ),
        // The batch runs the same pipeline (PLHPackage's Pipeline) as render and package; the facade re-exports it.
        .target(name: "PLHBatch", dependencies: ["PLHModel", "PLHBase", "PLHLoad", "PLHCompute", "PLHRender", "PLHPackage", "PLHImport"]),
        .target(name: "PLHBilan", dependencies: ["PLHModel", "PLHBase", "PLHLoad", "PLHCompute", "PLHRender", "PLHPackage", "PLHImport", "PLHBatch"]),
        // The web application: accounts, organisations, projects in the browser, on top of the facade.
        .target(name: "PLHServer", dependencies: [
            "PLHBilan", "PLHTemplates",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "PLHCLI", dependencies: ["PLHBilan", "PLHBatch", "PLHServer"]),
        .executableTarget(name: "plh-bilan", dependencies: ["PLHCLI"]),
        // Fixture projects and golden-file helpers shared by the test targets.
        .target(name: "PLHTestSupport", dependencies: ["PLHModel"], path: "Tests/PLHTestSupport"),
        .testTarget(name: "PLHLoadTests", dependencies: [
            "PLHLoad", "PLHBase", "PLHTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["BadInputs", "Spreadsheets"]),
        .testTarget(name: "PLHYAMLTests", dependencies: ["PLHYAML"]),
        .testTarget(name: "PLHComputeTests", dependencies: ["PLHCompute", "PLHLoad", "PLHTestSupport"]),
        .testTarget(name: "PLHRenderTests", dependencies: ["PLHRender", "PLHBase", "PLHLoad", "PLHTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "PLHPackageTests", dependencies: ["PLHPackage", "PLHBase", "PLHModel"]),
        .testTarget(name: "PLHImportTests", dependencies: ["PLHImport", "PLHBase", "PLHLoad", "PLHTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PLHBatchTests", dependencies: ["PLHBatch", "PLHLoad", "PLHBase", "PLHTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PLHCLITests", dependencies: [
            "PLHCLI", "PLHBilan", "PLHTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["Golden"]),
        .testTarget(name: "PLHServerTests", dependencies: [
            "PLHServer", "PLHTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ]
)
