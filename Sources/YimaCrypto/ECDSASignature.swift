import COpenSSL

/// Converts ECDSA and SM2 signatures between the fixed-width r || s that Yima
/// carries (32 bytes each, big-endian, as in RFC 7518 §3.4 and IEEE P1363) and the
/// DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3,
/// GB/T 35276-2017 §7.3 for SM2) that OpenSSL reads and writes.
enum ECDSASignature {
    static let scalarLength = 32

    static func raw(fromDER der: [UInt8]) throws(CryptoError) -> [UInt8] {
        let signature: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else { throw OpenSSL.failure("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer? = nil
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(signature, &r, &s)
        var out = [UInt8](repeating: 0, count: 2 * scalarLength)
        let written = out.withUnsafeMutableBufferPointer { buffer in
            (BN_bn2binpad(r, buffer.baseAddress, Int32(scalarLength)),
             BN_bn2binpad(s, buffer.baseAddress! + scalarLength, Int32(scalarLength)))
        }
        guard written.0 == Int32(scalarLength), written.1 == Int32(scalarLength) else {
            throw .malformedSignature("r or s is wider than 32 bytes")
        }
        return out
    }

    static func der(fromRaw raw: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        let bytes = Array(raw)
        guard bytes.count == 2 * scalarLength else {
            throw .malformedSignature("expected \(2 * scalarLength) bytes r || s, got \(bytes.count)")
        }
        guard let signature = ECDSA_SIG_new() else { throw OpenSSL.failure("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = bytes.withUnsafeBufferPointer { buffer in
            (BN_bin2bn(buffer.baseAddress, Int32(scalarLength), nil),
             BN_bin2bn(buffer.baseAddress! + scalarLength, Int32(scalarLength), nil))
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r); BN_free(s)
            throw OpenSSL.failure("ECDSA_SIG_set0")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_ECDSA_SIG(signature, &out)
        guard length > 0, let out else { throw OpenSSL.failure("i2d_ECDSA_SIG") }
        defer { yima_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
