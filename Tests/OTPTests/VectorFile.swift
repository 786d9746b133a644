import FIDOKitTestSupport
import Foundation

/// Rows of a tab-separated vector file under Fixtures/, comment lines (#) skipped.
enum VectorFile {
    static func rows(_ relative: String) throws -> [[String]] {
        let text = try String(contentsOf: FixturePath.url(relative), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map {
            $0.split(separator: "\t").map(String.init)
        }
    }
}
