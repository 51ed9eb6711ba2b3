extension CodeVerification {
    /// `yima verify`: codes checked offline against the `.pub` keys in `trustFolder`, or,
    /// given `trustList`, against the keys, revocations and recalls of that list, which
    /// the folder's authority keys must have signed.
    public static func run(_ scanned: [String], trustFolder: String, trustList: String?) throws(ServiceError) -> [CodeCheck] {
        let trusted = try TrustStore.load(directory: trustFolder)
        guard let trustList else { return run(scanned, trusted: trusted) }
        return run(scanned, trustList: try TrustStore.loadList(trustList, authorities: trusted.all))
    }
}
