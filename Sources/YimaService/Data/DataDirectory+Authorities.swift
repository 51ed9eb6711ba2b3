import Foundation
import YimaCrypto

extension DataDirectory {
    /// Installs a regulator's public key as a trust anchor, `DIR/authority/KID.pub`:
    /// from then on it may register parties and sign key records.
    @discardableResult
    public func installAuthority(_ publicKeyFile: String) throws(ServiceError) -> PublicKey {
        do {
            let key = try KeyFile.loadPublic(publicKeyFile)
            try KeyFile.create((authorityFolder as NSString).appendingPathComponent("\(key.id.hex).pub"), contents: key.pem, mode: 0o644)
            return key
        } catch {
            throw ServiceError.wrap(error)
        }
    }
}
