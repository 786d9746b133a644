import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The script and stylesheet the pages load (from the module's `Assets/`), read once.
enum Assets {
    static let files: [String: (type: String, bytes: [UInt8])] = {
        var files: [String: (type: String, bytes: [UInt8])] = [:]
        for (name, type) in [("app.js", "text/javascript; charset=utf-8"), ("style.css", "text/css; charset=utf-8")] {
            if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Assets"),
                let data = try? Data(contentsOf: url)
            {
                files[name] = (type, Array(data))
            }
        }
        return files
    }()

    static func add(to router: Router<MFARequestContext>) {
        router.get("assets/:name") { _, context -> Response in
            guard let file = Self.files[try context.parameters.require("name")] else { throw APIError.notFound }
            return Response(
                status: .ok,
                headers: [.contentType: file.type, .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes))
            )
        }
    }
}
