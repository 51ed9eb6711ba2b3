extension Transparency {
    /// `yima log checkpoint`: signs a checkpoint of the whole log with the data folder's
    /// log key (made on first use), named `proposed` on first use, and keeps it in the
    /// folder. Refuses, naming why, a log that is not an extension of the last checkpoint.
    /// Returns the signed note.
    public func signCheckpoint(in directory: DataDirectory, origin proposed: String?) throws(ServiceError) -> String {
        let key = try directory.logKey()
        let origin = try directory.logOrigin(proposed: proposed)
        let previous = try directory.latestCheckpoint(origin: origin, key: key)
        let signed = try signCheckpoint(origin: origin, key: key, previous: previous)
        try directory.saveCheckpoint(signed.note, origin: origin)
        return signed.note
    }
}
