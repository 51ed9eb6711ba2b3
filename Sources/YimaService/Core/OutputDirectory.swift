import Foundation

/// All-or-nothing output folders: work goes into a hidden staging folder beside the
/// target and is renamed into place only when complete, so a failure or a crash
/// leaves no partial output under the target's name.
enum OutputDirectory {
    /// Checks the target and creates its staging folder.
    static func stage(_ target: String) throws(ServiceError) -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: target, isDirectory: &isDirectory) {
            let empty = isDirectory.boolValue && ((try? manager.contentsOfDirectory(atPath: target))?.isEmpty ?? false)
            guard empty else {
                throw .output(.outputExists, ["path": target])
            }
        }
        let url = URL(fileURLWithPath: target).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        // Missing parent folders are created, as `mkdir -p` would.
        try? manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let staging = (parent as NSString).appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        guard mkdir(staging, 0o755) == 0 else {
            throw .output(.cannotCreateOutputIn, ["folder": parent, "reason": String(cString: strerror(errno))])
        }
        return staging
    }

    static func commit(_ staging: String, to target: String) throws(ServiceError) {
        // An empty target folder is replaced; rename(2) refuses anything else.
        rmdir(target)
        guard rename(staging, target) == 0 else {
            throw .output(.cannotMoveOutput, ["path": target, "reason": String(cString: strerror(errno))])
        }
    }

    static func discard(_ staging: String) {
        try? FileManager.default.removeItem(atPath: staging)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ServiceError.output(.cannotCreateReason, ["path": path, "reason": String(cString: strerror(errno))])
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw ServiceError.output(.writeFailedReason, ["path": path, "reason": String(cString: strerror(errno))])
            }
            offset += n
        }
    }
}
