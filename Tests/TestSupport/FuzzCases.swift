import Foundation

/// The inputs a fuzz target of `FuzzTesting/` is replayed on by the test suite: its regression
/// fixtures (`FuzzTesting/FailCases/TARGET/`, inputs that once failed) and its committed seeds
/// (`FuzzTesting/Corpus/TARGET/`), so `swift test` covers them without libFuzzer.
public enum FuzzCases {
    /// Every file of both folders, by name (`FailCases/…`, `Corpus/…`), sorted.
    public static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let root = FixturePath.repositoryRoot.appendingPathComponent("FuzzTesting")
        var inputs: [(name: String, bytes: [UInt8])] = []
        for folder in ["FailCases", "Corpus"] {
            let directory = root.appendingPathComponent(folder).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) {
                    inputs.append(("\(folder)/\(name)", Array(data)))
                }
            }
        }
        return inputs
    }
}
