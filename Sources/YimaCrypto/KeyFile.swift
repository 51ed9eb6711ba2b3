#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes key files. A private key file is created with mode 0600 before
/// any byte is written, and never replaces an existing file: losing a signing key
/// to a typo costs every label printed with it.
public enum KeyFile {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case exists(String)
        case cannotWrite(String, String)
        case cannotRead(String, String)

        public var description: String {
            switch self {
            case .exists(let path): "\(path) already exists; refusing to overwrite a key"
            case .cannotWrite(let path, let why): "cannot write \(path): \(why)"
            case .cannotRead(let path, let why): "cannot read \(path): \(why)"
            }
        }
    }

    /// Writes `contents` to `path` with `mode`, atomically: a temporary file in the
    /// same folder is written and synced, then hard-linked into place, which fails
    /// if `path` exists. A crash leaves either no key or the whole key.
    public static func create(_ path: String, contents: String, mode: mode_t) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .cannotWrite(path, reason)
            }
            written += n
        }
        // The umask may have narrowed the mode; make it exact.
        fchmod(fd, mode)
        guard fsync(fd) == 0, close(fd) == 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw .exists(path) }
            throw .cannotWrite(path, String(cString: strerror(errno)))
        }
    }

    public static func read(_ path: String) throws(Failure) -> String {
        guard let file = fopen(path, "rb") else { throw .cannotRead(path, String(cString: strerror(errno))) }
        defer { fclose(file) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes += chunk[0..<n] }
            if n < chunk.count { break }
            // Key files are small; anything huge is not a key.
            if bytes.count > 1 << 20 { throw .cannotRead(path, "larger than 1 MiB, not a key file") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Saves a key pair as `NAME.key` (0600) and `NAME.pub` (0644); neither may exist.
    public static func save(_ key: PrivateKey, to base: String, passphrase: String? = nil) throws -> (privatePath: String, publicPath: String) {
        let privatePath = base + ".key"
        let publicPath = base + ".pub"
        if access(publicPath, F_OK) == 0 { throw Failure.exists(publicPath) }
        try create(privatePath, contents: key.pem(passphrase: passphrase), mode: 0o600)
        do {
            try create(publicPath, contents: key.publicKey.pem, mode: 0o644)
        } catch {
            unlink(privatePath)
            throw error
        }
        return (privatePath, publicPath)
    }

    public static func loadPrivate(_ path: String, passphrase: String? = nil) throws -> PrivateKey {
        try PrivateKey(pem: read(path), passphrase: passphrase)
    }

    public static func loadPublic(_ path: String) throws -> PublicKey {
        try PublicKey(pem: read(path))
    }
}
