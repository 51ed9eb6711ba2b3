/// The signature algorithms Yima signs and verifies with.
///
/// Every algorithm yields a 64-byte signature on the wire, so a code or an
/// envelope has the same size whichever one an issuer chose:
/// - Ed25519: the RFC 8032 §5.1.6 signature R || S.
/// - ECDSA P-256 with SHA-256 (FIPS 186-5) and SM2 with SM3 (GM/T 0003.2-2012,
///   GB/T 32918.2-2016): the fixed-width r || s, each 32 bytes big-endian, converted
///   from and to OpenSSL's DER `ECDSA-Sig-Value` at the boundary.
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Codable {
    case ed25519
    case p256
    case sm2

    /// The length of every signature on the wire, in bytes.
    public static let signatureLength = 64

    /// The distinguishing identifier SM2 signatures bind (GM/T 0009-2012 §10 default,
    /// "1234567812345678"). OpenSSL 3 would otherwise use an empty ID, which no other
    /// SM2 verifier accepts, so it is set explicitly on every sign and verify.
    public static let sm2DistinguishingID = Array("1234567812345678".utf8)

    /// A human-readable name, as the documentation spells it.
    public var displayName: String {
        switch self {
        case .ed25519: "Ed25519"
        case .p256: "ECDSA P-256 with SHA-256"
        case .sm2: "SM2 with SM3"
        }
    }
}
