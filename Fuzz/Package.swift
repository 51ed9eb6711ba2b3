// swift-tools-version:6.0
// The libFuzzer build of Yima's fuzz targets (Fuzz/README.md). Its own package, so that
// `-sanitize=fuzzer,address` reaches every module and the normal build is untouched:
//   swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// (Fuzz/fuzz.sh does this.)
import PackageDescription

let package = Package(
    name: "YimaFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Yima", path: "..")],
    targets: [
        .executableTarget(name: "yima-fuzz", dependencies: [.product(name: "YimaFuzzTargets", package: "Yima")]),
    ]
)
