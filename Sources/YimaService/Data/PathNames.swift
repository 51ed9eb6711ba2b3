/// Plain path-string helpers. (swift-corelibs-foundation's
/// `NSString.deletingLastPathComponent` traps on one-character names such as "k".)
public enum PathNames {
    /// The folder part of `path`: "" for a bare name, "/" for a file at the root.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
