// swift-tools-version:6.0
//
// FIDOKit: hardware-backed multi-factor authentication for Linux services.
//
// Modules, one concept each:
// - `CBOR`: strict RFC 8949 decoder/encoder for authenticator output.
// - `FIDOTypes`: the identifiers the verifier and the driver share (`AAGUID`, `COSEAlgorithm`), no dependencies.
// - `WebAuthn`: the relying-party verifier (COSE keys, ceremonies, attestation, trust).
// - `FIDOMetadata`: the FIDO Metadata Service (MDS3): verified BLOBs, lookups, the on-disk cache.
// - `OTP`: HOTP/TOTP (RFC 4226/6238), Base32, otpauth:// URIs.
// - `RecoveryCode`: single-use recovery codes and the scrypt hash they (and passwords) are kept as.
// - `MFAPolicy`: the enrollment rules binding tenant settings and members' factors (pure logic).
// - `SecretVault`: AES-GCM sealing of factor secrets at rest, with rotating server keys.
// - `CQRencode` (libqrencode) and `QRCode`: QR symbols for otpauth:// URIs, as text and SVG.
// - `SMS`: E.164 numbers, hashed single-use codes with expiry and tries, resend limits, providers.
// - `Push`: Guardian-style push approval: enrollment tickets, device keys, number-matching transactions.
// - `StreamingJSON`: JSON written straight into bytes (`StreamingJSONEncoder`) and ordered JSON values.
// - `MFAStore`: versioned records with compare-and-swap (one-time things consumed once): SQLite via
//   GRDB (embedded default) and PostgreSQL via postgres-nio.
// - `MFAFactors`: the factor services that bind the factor modules to the store, attempt limits, audit log.
// - `MFADelivery`: SMS and push delivery over HTTP: Twilio's REST API, APNs, FCM HTTP v1 (AsyncHTTPClient).
// - `HTTPInput`: total decoders of outside HTTP bytes (forms, queries, cookies, paths, forwarding headers).
// - `MFAServer` and `mfa-server`: the dashboard's sign-in and MFA service (Hummingbird 2): JSON API, pages.
// - `SoftwareWebAuthn`: a software security key answering WebAuthn options (tests, demos, load).
// - `FIDO2`: the libfido2 driver for security keys; `FIDO2WebAuthn`: its output as WebAuthn response JSON.
// - `fidoctl`: the command-line tool.

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "FIDOKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CBOR", targets: ["CBOR"]),
        .library(name: "FIDOTypes", targets: ["FIDOTypes"]),
        .library(name: "WebAuthn", targets: ["WebAuthn"]),
        .library(name: "FIDOMetadata", targets: ["FIDOMetadata"]),
        .library(name: "OTP", targets: ["OTP"]),
        .library(name: "RecoveryCode", targets: ["RecoveryCode"]),
        .library(name: "MFAPolicy", targets: ["MFAPolicy"]),
        .library(name: "SecretVault", targets: ["SecretVault"]),
        .library(name: "QRCode", targets: ["QRCode"]),
        .library(name: "SMS", targets: ["SMS"]),
        .library(name: "Push", targets: ["Push"]),
        .library(name: "StreamingJSON", targets: ["StreamingJSON"]),
        .library(name: "MFAStore", targets: ["MFAStore"]),
        .library(name: "MFAFactors", targets: ["MFAFactors"]),
        .library(name: "SoftwareWebAuthn", targets: ["SoftwareWebAuthn"]),
        .library(name: "MFADelivery", targets: ["MFADelivery"]),
        .library(name: "HTTPInput", targets: ["HTTPInput"]),
        .library(name: "MFAServer", targets: ["MFAServer"]),
        .executable(name: "mfa-server", targets: ["mfa-server"]),
        .library(name: "FIDO2", targets: ["FIDO2"]),
        .library(name: "FIDO2WebAuthn", targets: ["FIDO2WebAuthn"]),
        .library(name: "FIDO2Testing", targets: ["FIDO2Testing"]),
        .executable(name: "fidoctl", targets: ["fidoctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "CBOR",
            swiftSettings: strictSettings
        ),
        .target(
            name: "FIDOTypes",
            swiftSettings: strictSettings
        ),
        .target(
            name: "WebAuthn",
            dependencies: [
                "CBOR",
                "FIDOTypes",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FIDOMetadata",
            dependencies: [
                "WebAuthn",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OTP",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RecoveryCode",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MFAPolicy",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SecretVault",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "QRCode",
            dependencies: ["CQRencode"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SMS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Push",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StreamingJSON",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MFAStore",
            dependencies: [
                "StreamingJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MFAFactors",
            dependencies: [
                "MFAStore", "MFAPolicy", "OTP", "RecoveryCode", "SecretVault", "SMS", "Push", "WebAuthn",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MFADelivery",
            dependencies: [
                "SMS", "Push",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HTTPInput",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MFAServer",
            dependencies: [
                "HTTPInput", "MFAFactors", "MFAPolicy", "MFAStore", "MFADelivery", "OTP", "QRCode", "RecoveryCode",
                "SMS", "Push",
                "SecretVault", "StreamingJSON", "WebAuthn",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Assets")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mfa-server",
            dependencies: [
                "MFAServer",
                "HTTPInput",
                "SMS",
                "WebAuthn",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SoftwareWebAuthn",
            dependencies: ["WebAuthn", "CBOR", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CFIDO2",
            pkgConfig: "libfido2",
            providers: [.apt(["libfido2-dev", "libcbor-dev", "libudev-dev", "libssl-dev"])]
        ),
        .target(
            name: "FIDO2",
            dependencies: ["CFIDO2", "CBOR", "FIDOTypes"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FIDO2WebAuthn",
            dependencies: ["FIDO2", "WebAuthn"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FIDO2Testing",
            dependencies: [
                "FIDO2",
                "CBOR",
                "WebAuthn",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "fidoctl",
            dependencies: [
                "WebAuthn",
                "FIDOMetadata",
                "OTP",
                "QRCode",
                "MFAStore",
                "MFAFactors",
                "SecretVault",
                "SoftwareWebAuthn",
                "CBOR",
                "FIDO2",
                "FIDO2Testing",
                "FIDO2WebAuthn",
                "Push",
                "FIDOKitTestSupport",
                "StreamingJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FIDOKitTestSupport",
            path: "Tests/TestSupport"
        ),
        .target(
            name: "MFAStoreTestSupport",
            dependencies: ["MFAStore", "MFAFactors"],
            path: "Tests/StoreTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CBORTests",
            dependencies: ["CBOR", "FIDOKitTestSupport"]
        ),
        .testTarget(
            name: "WebAuthnTests",
            dependencies: [
                "WebAuthn",
                "FIDOMetadata",
                "CBOR",
                "FIDOKitTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "FIDOMetadataTests",
            dependencies: [
                "FIDOMetadata",
                "WebAuthn",
                "CBOR",
                "FIDOKitTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "OTPTests",
            dependencies: ["OTP", "FIDOKitTestSupport"]
        ),
        .testTarget(
            name: "RecoveryCodeTests",
            dependencies: ["RecoveryCode"]
        ),
        .testTarget(
            name: "MFAPolicyTests",
            dependencies: ["MFAPolicy"]
        ),
        .testTarget(
            name: "SecretVaultTests",
            dependencies: ["SecretVault", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "QRCodeTests",
            dependencies: ["QRCode"]
        ),
        .testTarget(
            name: "SMSTests",
            dependencies: ["SMS"]
        ),
        .testTarget(
            name: "PushTests",
            dependencies: ["Push", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "StreamingJSONTests",
            dependencies: ["StreamingJSON"]
        ),
        .testTarget(
            name: "MFAStoreTests",
            dependencies: [
                "MFAStore", "MFAStoreTestSupport", "SMS", "OTP", "Push", "RecoveryCode",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "MFADeliveryTests",
            dependencies: [
                "MFADelivery", "SMS", "Push", "FIDOKitTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "HTTPInputTests",
            dependencies: ["HTTPInput", "FIDOKitTestSupport"]
        ),
        .testTarget(
            name: "MFAServerTests",
            dependencies: [
                "MFAServer", "mfa-server", "HTTPInput", "MFAStore", "MFAStoreTestSupport", "MFAFactors", "MFAPolicy",
                "OTP", "SMS", "Push",
                "RecoveryCode", "WebAuthn", "SoftwareWebAuthn", "FIDOKitTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "MFAFactorsTests",
            dependencies: [
                "MFAFactors", "MFAStore", "MFAStoreTestSupport", "MFAPolicy", "OTP", "RecoveryCode", "SecretVault",
                "SMS", "Push", "WebAuthn", "SoftwareWebAuthn",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "FIDO2Tests",
            dependencies: [
                "FIDO2",
                "FIDO2Testing",
                "FIDO2WebAuthn",
                "WebAuthn",
                "CBOR",
                "FIDOKitTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "FIDO2ClientTests",
            dependencies: ["FIDO2", "FIDOKitTestSupport"]
        ),
        .testTarget(
            name: "FIDOTypesTests",
            dependencies: ["FIDOTypes"]
        ),
        .testTarget(
            name: "fidoctlTests",
            dependencies: [
                "fidoctl",
                "mfa-server",
                "MFAStore",
                "MFAFactors",
                "Push",
                "FIDOMetadata",
                "OTP",
                "WebAuthn",
                "FIDOKitTestSupport",
                "FIDO2",
                "FIDO2Testing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
