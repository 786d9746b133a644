// swift-tools-version:5.4
//
// libFuzzer targets for FIDOKit's decoders of outside bytes, a package of their own (the main
// package never links libFuzzer). One executable target per decoder, each in its own folder under
// Sources/ exporting `LLVMFuzzerTestOneInput`; build and run them with
//
//     scripts/fuzz.sh FuzzCBOR 60      (or: scripts/fuzz.sh all 5)
//
// which builds with `-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`.
// Crashing inputs go to FailCases/<target>/, which the main package's tests replay.
// A new target: add a folder under Sources/ and a line to `fuzzTargets` below.

import PackageDescription

/// The root package's identity is the name of its folder (`main`, `FIDOKit`, a CI clone's).
let root = String("\(#filePath)".split(separator: "/").dropLast(2).last ?? "FIDOKit")

/// Each fuzz target and the products of the main package it calls.
let fuzzTargets: [(name: String, products: [String])] = [
    ("FuzzCBOR", ["CBOR"]),
    ("FuzzAttestationObject", ["WebAuthn", "CBOR"]),
    ("FuzzClientData", ["WebAuthn"]),
    ("FuzzCTAPHID", ["FIDO2Testing"]),
    ("FuzzOTPAuthURI", ["OTP"]),
    ("FuzzMDSBLOB", ["FIDOMetadata", "WebAuthn"]),
    ("FuzzHTTPInput", ["HTTPInput"]),
]

let package = Package(
    name: "FIDOKitFuzzTesting",
    platforms: [.macOS(.v11)],
    products: fuzzTargets.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(path: "../")],
    targets: [
        // The bytes of one input and the slow-unit bound, shared by every target.
        .target(name: "FuzzCommon")
    ]
        + fuzzTargets.map { target in
            .executableTarget(
                name: target.name,
                dependencies: ["FuzzCommon"] + target.products.map { .product(name: $0, package: root) }
            )
        }
)
