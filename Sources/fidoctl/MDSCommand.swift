import ArgumentParser
import FIDOMetadata
import Foundation
import StreamingJSON
import WebAuthn
import X509

/// `fidoctl mds`: the FIDO Metadata Service BLOB — fetch, verify and cache it, and look models up.
struct MDSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mds",
        abstract: "Fetch, verify and cache the FIDO Metadata Service (MDS3) BLOB, and look authenticator models up.",
        subcommands: [Update.self, Show.self]
    )

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a metadata BLOB from a file or URL and make it the cached BLOB.",
            discussion: """
                The BLOB replaces the cache only if its signature verifies, its certificate chains to the metadata \
                root (GlobalSign Root CA - R3, or --root), its nextUpdate has not passed, and its serial number is not \
                lower than the cached one's. Otherwise the cache is left as it was and the command exits 1 \
                (65 when the input is no metadata BLOB at all, 69 when it cannot be fetched, 74 when the cache \
                cannot be written).

                Example:
                  fidoctl mds update --from https://mds3.fidoalliance.org/
                """
        )

        @Option(
            help: """
                A file path, or an http(s):// URL (e.g. https://mds3.fidoalliance.org/; the BLOB is signed, \
                so http works too).
                """
        )
        var from: String

        @OptionGroup var store: MetadataStoreOptions

        func validate() throws {
            guard !self.from.isEmpty else { throw ValidationError("--from is empty; name a file or a URL.") }
            if let path = self.store.cachePath { try OutputFile.check(path) }
        }

        func run() async throws {
            do {
                let jws = try await MetadataAnchors.fetchBLOB(self.from)
                let cache = try self.store.cache()
                let blob = try await MetadataBLOB(verifying: jws, trustAnchors: cache.trustAnchors)
                if let cached = try? await cache.load(), cached.number > blob.number {
                    throw MetadataError(
                        .rollback,
                        "The new metadata BLOB is #\(blob.number), older than the cached #\(cached.number)."
                    )
                }
                // Written like every other file fidoctl writes (a link followed, a regular file
                // replaced atomically), so a crash never leaves half a BLOB.
                try? FileManager.default.createDirectory(
                    at: cache.path.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try OutputFile.write(jws, to: cache.path.path, privacy: .ordinary)
                try Output.line(
                    "Metadata BLOB #\(blob.number): \(blob.entries.count) authenticator models, next update \(MetadataStoreOptions.day(blob.nextUpdate)); cached at \(cache.path.path)."
                )
            } catch let failure as CommandFailure {
                throw failure
            } catch let error as MetadataError {
                throw CommandFailure(Self.status(of: error), Terminal.escaped(error.description))
            }
        }

        /// A refused BLOB (a bad signature, an untrusted signer, expired, a rollback) exits 1; one
        /// that is not a BLOB at all 65 (as `verify --mds`); one that cannot be fetched 69.
        static func status(of error: MetadataError) -> CommandFailure.Status {
            switch error.code {
            case .malformed: .dataError
            case .unavailable: .unavailable
            default: .refused
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what the cached metadata says about one model, as JSON.",
            discussion: """
                The model is named by its AAGUID, or for U2F keys by the hex key identifier of its attestation certificate.

                Example:
                  fidoctl mds show 6d44ba9b-f6ec-2e49-b930-0c8fe920cb73
                """
        )

        @Argument(
            help: "An AAGUID (6d44ba9b-f6ec-2e49-b930-0c8fe920cb73) or an attestation key identifier (40 hex digits)."
        )
        var model: String

        @Option(help: "Read this BLOB file instead of the cache.")
        var blob: String?

        @OptionGroup var store: MetadataStoreOptions

        func run() async throws {
            do {
                let loaded: MetadataBLOB
                if let path = self.blob {
                    loaded = try await MetadataBLOB(
                        verifying: try await MetadataAnchors.fetchBLOB(path),
                        trustAnchors: try self.store.anchors(),
                        allowExpired: true
                    )
                } else {
                    guard let cached = try await self.store.cache().load() else {
                        throw CommandFailure(
                            .noInput,
                            "No cached metadata BLOB at \(try self.store.cache().path.path): run `fidoctl mds update --from URL` first."
                        )
                    }
                    loaded = cached
                }
                if loaded.isStale() {
                    Terminal.warn(
                        "The metadata BLOB #\(loaded.number) was due to be replaced on \(MetadataStoreOptions.day(loaded.nextUpdate))."
                    )
                }
                let entry =
                    AAGUID(self.model).flatMap { loaded.metadata(aaguid: $0) }
                    ?? loaded.metadata(attestationCertificateKeyIdentifier: self.model)
                guard let entry else {
                    throw CommandFailure(.refused, "The metadata BLOB #\(loaded.number) has no model \(self.model).")
                }
                try Output.line(Self.json(entry).jsonLine)
            } catch let error as MetadataError {
                throw CommandFailure(.refused, "\(error)")
            }
        }

        static func json(_ entry: AuthenticatorMetadata) -> OrderedJSON {
            var members: [(String, OrderedJSON)] = []
            if let aaguid = entry.aaguid { members.append(("aaguid", .string(aaguid.description))) }
            if !entry.attestationCertificateKeyIdentifiers.isEmpty {
                members.append(
                    (
                        "attestationCertificateKeyIdentifiers",
                        .array(entry.attestationCertificateKeyIdentifiers.map { .string($0) })
                    )
                )
            }
            members.append(("description", .string(entry.description)))
            if let icon = entry.icon { members.append(("icon", .string(icon))) }
            members.append(("attestationTypes", .array(entry.attestationTypes.map { .string($0) })))
            members.append(
                (
                    "attestationRootCertificates",
                    .array(entry.attestationRootCertificates.map { .string(String(describing: $0.subject)) })
                )
            )
            members.append(
                (
                    "statusReports",
                    .array(
                        entry.statusReports.map { report in
                            .object(
                                [("status", .string(report.status.rawValue))]
                                    + (report.effectiveDate.map { [("effectiveDate", .string($0))] } ?? [])
                            )
                        }
                    )
                )
            )
            members.append(("refused", .bool(entry.refusingReport != nil)))
            return .object(members)
        }
    }
}

/// Where the metadata cache is and which root BLOBs must chain to.
struct MetadataStoreOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: "The cache file (default: $XDG_CACHE_HOME/fidokit/mds3.jwt).")
    var cachePath: String?

    @Option(
        name: .customLong("root"),
        help: "A PEM file of metadata trust anchors (default: the bundled GlobalSign Root CA - R3)."
    )
    var roots: [String] = []

    func validate() throws {
        guard self.cachePath?.isEmpty != true else { throw ValidationError("--cache is empty; name a file.") }
        guard !self.roots.contains(where: \.isEmpty) else { throw ValidationError("--root is empty; name a file.") }
    }

    func anchors() throws -> [Certificate] {
        try MetadataAnchors.load(self.roots)
    }

    func cache() throws -> MetadataCache {
        MetadataCache(
            path: self.cachePath.map { URL(fileURLWithPath: $0) } ?? MetadataCache.defaultPath,
            trustAnchors: try self.anchors()
        )
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}

/// Metadata trust anchors from PEM files, or the bundled default.
enum MetadataAnchors {
    static func load(_ paths: [String]) throws -> [Certificate] {
        guard !paths.isEmpty else { return MetadataBLOB.defaultTrustAnchors }
        var anchors: [Certificate] = []
        for path in paths {
            anchors += try TrustAnchorFiles.certificates(path, what: "the metadata trust anchors")
        }
        return anchors
    }

    /// A BLOB's bytes: a file through ``InputReader`` (66 when it cannot be read, 65 over
    /// 64 MiB), a URL through ``MetadataSource``.
    static func fetchBLOB(_ text: String) async throws -> [UInt8] {
        guard !text.isEmpty else { throw ValidationError("The metadata BLOB's file or URL is empty; name one.") }
        switch MetadataSource(text) {
        case .file(let url):
            return try InputReader.file(url.path, limit: InputReader.metadataLimit, what: "the metadata BLOB")
        case let source:
            return try await source.fetch()
        }
    }

    /// Loads `--mds FILE` for the verify commands; a BLOB past nextUpdate is used with a warning.
    // Not inlined: Swift 6.3.1's release build crashed (LLVM CoroSplit, signal 11) splitting
    // `fidoctl verify registration`'s `run` with this body inside it.
    @inline(never)
    static func blob(path: String?, roots: [String]) async throws -> MetadataBLOB? {
        guard let path else { return nil }
        do {
            let blob = try await MetadataBLOB(
                verifying: try await MetadataAnchors.fetchBLOB(path),
                trustAnchors: try Self.load(roots),
                allowExpired: true
            )
            if blob.isStale() {
                Terminal.warn(
                    "The metadata BLOB #\(blob.number) was due to be replaced on \(MetadataStoreOptions.day(blob.nextUpdate)); revocations since then are unknown."
                )
            }
            return blob
        } catch let error as MetadataError {
            throw CommandFailure(.dataError, "\(error)")
        }
    }
}
