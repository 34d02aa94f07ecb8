// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, kept out of the main package: build with scripts/fuzz.sh, which passes -sanitize=fuzzer.
// Each target is -parse-as-library and defines `<target>_main`, the entry point SwiftPM links, which runs
// libFuzzer's driver on the target's check.
let fuzzerFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
let plh: Target.Dependency = .product(name: "PLHBilan", package: "plh-bilan")

let package = Package(
    name: "PLHFuzz",
    dependencies: [.package(path: "plh-bilan")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "fuzz-csv", dependencies: [plh, "FuzzSupport"], swiftSettings: fuzzerFlags),
        .executableTarget(name: "fuzz-loader", dependencies: [plh, "FuzzSupport"], swiftSettings: fuzzerFlags),
        .executableTarget(name: "fuzz-narrative", dependencies: [plh, "FuzzSupport"], swiftSettings: fuzzerFlags),
        .executableTarget(name: "fuzz-observatory", dependencies: [plh, "FuzzSupport"], swiftSettings: fuzzerFlags),
        .executableTarget(name: "fuzz-import", dependencies: [plh, "FuzzSupport"], swiftSettings: fuzzerFlags),
    ]
)
