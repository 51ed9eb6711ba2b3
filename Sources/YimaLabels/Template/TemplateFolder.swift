import Foundation

/// Where Yima's templates live: the page templates (`lookup.mustache`, the
/// certificate label) and `labels/` for printed labels. Found once, the same way by
/// `yima serve` and every command that prints.
public enum TemplateFolder {
    /// `explicit`, else `$YIMA_TEMPLATES`, else the first `templates/` holding
    /// `lookup.mustache` in the working folder or up to eight folders above the
    /// executable, else `templates`.
    public static func find(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let environment = ProcessInfo.processInfo.environment["YIMA_TEMPLATES"] { return environment }
        return search("templates", holding: "lookup.mustache") ?? "templates"
    }

    /// The producer workbench's static files (docs/api.md §Static files): `explicit`,
    /// else `$YIMA_WORKBENCH`, else the first `workbench/` holding `index.html` found
    /// as templates are, else `workbench`.
    public static func workbench(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let environment = ProcessInfo.processInfo.environment["YIMA_WORKBENCH"] { return environment }
        return search("workbench", holding: "index.html") ?? "workbench"
    }

    /// The first folder `name` holding `marker` in the working folder or up to eight
    /// folders above the executable.
    static func search(_ name: String, holding marker: String) -> String? {
        let manager = FileManager.default
        var candidates = [manager.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(folder.path)
            folder.deleteLastPathComponent()
        }
        for candidate in candidates {
            let path = (candidate as NSString).appendingPathComponent(name)
            if manager.fileExists(atPath: (path as NSString).appendingPathComponent(marker)) { return path }
        }
        return nil
    }

    /// The printed labels' folder: `explicit`, else `labels/` in the templates folder.
    public static func labels(_ explicit: String?) -> String {
        explicit ?? (find(nil) as NSString).appendingPathComponent("labels")
    }
}
