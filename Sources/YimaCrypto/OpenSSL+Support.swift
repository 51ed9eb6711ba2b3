import COpenSSL

/// Small helpers shared by the key and signature code: OpenSSL's error queue and
/// memory BIOs.
enum OpenSSL {
    /// Takes and clears OpenSSL's thread-local error queue, returning the earliest
    /// reason (the root cause) as text.
    static func drainErrors() -> String {
        var first: UInt = 0
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == 0 { first = code }
        }
        guard first != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(first, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func failure(_ operation: String) -> CryptoError {
        .openSSL(operation: operation, reason: drainErrors())
    }

    /// Runs `body` with a read-only memory BIO over `bytes`.
    static func withReadBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                throw failure("BIO_new_mem_buf")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `body` with an empty memory BIO and returns what it wrote.
    static func collectingBIO(_ body: (OpaquePointer) throws -> Void) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new") }
        defer { BIO_free(bio) }
        try body(bio)
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = yima_bio_mem_data(bio, &data)
        guard let data, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// Fills a new array with `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBytes { RAND_bytes($0.baseAddress, Int32(count)) }
        // RAND_bytes fails only if the system entropy source is broken; nothing
        // unguessable can be made then, so stopping is the only safe choice.
        precondition(ok == 1, "OpenSSL RAND_bytes failed: \(drainErrors())")
        return bytes
    }
}

/// Cryptographically secure random bytes, for serials and salts.
public func secureRandomBytes(_ count: Int) -> [UInt8] {
    OpenSSL.randomBytes(count)
}
