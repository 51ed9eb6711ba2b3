import COpenSSL

/// Message digests used across Yima.
public enum Digest {
    /// SHA-256 (FIPS 180-4).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        hash(bytes, EVP_sha256())
    }

    /// SM3 (GM/T 0004-2012, GB/T 32905-2016).
    public static func sm3(_ bytes: some Collection<UInt8>) -> [UInt8] {
        hash(bytes, EVP_sm3())
    }

    private static func hash(_ bytes: some Collection<UInt8>, _ md: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withContiguousStorageIfAvailable { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, md, nil)
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, md, nil)
        }
        precondition(ok == 1, "EVP_Digest failed: \(OpenSSL.drainErrors())")
        return Array(out.prefix(Int(length)))
    }
}
