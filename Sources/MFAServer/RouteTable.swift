public import HTTPTypes
public import Hummingbird

/// The routes a router dispatches (read from the router itself, so it cannot go stale): which
/// methods a path takes, for `405 Method Not Allowed` with its `Allow` header, and the list
/// tests walk to attack every state-changing route.
public struct RouteTable: Sendable {
    /// One route: its path pattern and method.
    public struct Route: Sendable, CustomStringConvertible {
        public var path: RouterPath
        public var method: HTTPRequest.Method
        public var description: String { "\(self.method) \(self.path)" }
    }

    /// Every route.
    public let routes: [Route]

    /// The routes of `router` (call after it has built its responder, which adds HEAD routes).
    public init(_ router: Router<MFARequestContext>) {
        self.routes = router.routes.map { Route(path: $0.path, method: $0.method) }
    }

    /// The methods some route takes at the canonical path `segments`; empty when none matches.
    public func methods(at segments: [String]) -> [HTTPRequest.Method] {
        var methods: [HTTPRequest.Method] = []
        for route in self.routes where Self.matches(route.path, segments) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    static func matches(_ path: RouterPath, _ segments: [String]) -> Bool {
        let components = path.components
        guard components.count == segments.count else { return false }
        for (component, segment) in zip(components, segments) where !(component ~= segment) { return false }
        return true
    }
}
