public import Foundation

/// Runs `attempt` `count` times at once and returns how many returned `true`: how tests show
/// that of many concurrent uses of one one-time value exactly one wins.
public func race(_ count: Int = 32, _ attempt: @escaping @Sendable () async -> Bool) async -> Int {
    await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<count { group.addTask { await attempt() } }
        var wins = 0
        for await won in group where won { wins += 1 }
        return wins
    }
}

/// The current time to whole seconds: the stores keep times to the millisecond, so a test that
/// compares stored expiry times with exact arithmetic starts from a time they keep exactly.
public func storableNow() -> Date {
    Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
}
