import YimaRecords

extension CodeVerification {
    /// `yima verify`: codes checked offline against the `.pub` keys in `trustFolder`, or,
    /// given `trustList`, against the keys, revocations and recalls of that list, which
    /// the folder's authority keys must have signed. With `trustState`, a list older
    /// than the highest version that file remembers for its authority key is refused,
    /// and a verified list's version is remembered there (docs/trust-list.md §3).
    public static func run(_ scanned: [String], trustFolder: String, trustList: String?,
                           trustState: String? = nil, now: Instant = .now()) throws(ServiceError) -> [CodeCheck] {
        let trusted = try TrustStore.load(directory: trustFolder)
        guard let trustList else { return run(scanned, trusted: trusted) }
        let list = try TrustStore.loadList(trustList, authorities: trusted.all, now: now)
        if let trustState { try TrustState.admit(list, stateFile: trustState) }
        return run(scanned, trustList: list)
    }
}
