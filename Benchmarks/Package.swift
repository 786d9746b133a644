// swift-tools-version:6.1
//
// FIDOKit's benchmarks, a package of their own so that the library's users never resolve the
// benchmark tool. Run them with
//
//     swift package --package-path Benchmarks benchmark
//
// (`--target CBORBenchmarks`, `--filter "CBOR decode map.*"`; `benchmark baseline update` and
// `benchmark baseline compare` keep and compare results). The plugin discovers the executable
// targets under `Benchmarks/` of this package.

import PackageDescription

/// The root package's identity is the name of its folder (`main`, `FIDOKit`, a CI clone's):
/// products are named from it.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "FIDOKit")

let package = Package(
    name: "FIDOKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        // Only the malloc interposer: the default traits add a Swift runtime interposer this
        // toolchain does not need.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CBORBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CBOR", package: root),
            ],
            path: "Benchmarks/CBORBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
