import YimaCrypto

/// Signs note texts with one private key under one key name
/// (c2sp.org/signed-note).
public struct NoteSigner: Sendable, CustomStringConvertible {
    public let name: String
    /// The matching verifier (its `verifierKey` is what to publish).
    public let verifier: NoteVerifier
    private let privateKey: PrivateKey

    public var keyID: UInt32 { verifier.keyID }

    /// A signer for an Ed25519 key (C2SP) or an SM2 key (Yima extension).
    public init(name: String, privateKey: PrivateKey) throws(NoteError) {
        verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.privateKey = privateKey
    }

    /// The signature of `text`, which must be a valid note text (ending in a
    /// newline, no control characters but newline).
    public func signature(for text: String) throws(NoteError) -> NoteSignature {
        try validateNoteText(text)
        let bytes: [UInt8]
        do {
            bytes = try privateKey.sign(Array(text.utf8))
        } catch {
            throw .signingFailed("\(error)")
        }
        return NoteSignature(keyName: name, keyID: keyID, signature: bytes)
    }

    /// A note of `text` signed by this key alone.
    public func sign(_ text: String) throws(NoteError) -> SignedNote {
        try SignedNote(text: text, signatures: [signature(for: text)])
    }

    /// Never the key material.
    public var description: String { "note signer \(name)+\(hex8(keyID))" }
}
