import Foundation
import YimaRecords

/// What `issue(batch:request:pinSecret:)` made: the codes, and their PINs if asked.
public struct BatchIssue: Sendable {
    public let units: BatchIssueSummary
    public let pins: PinIssueSummary?

    /// The codes as the files-only issuance reports them (`CodeIssuance.run`).
    public var summary: IssueSummary {
        IssueSummary(count: units.count, directory: units.directory,
                     codesFile: (units.directory as NSString).appendingPathComponent("codes.txt"),
                     qrVersion: units.qrVersion, seconds: units.seconds)
    }
}

extension Issuance {
    /// Issues a batch's codes (`issueUnits`) and, given the data folder's secret, a
    /// hidden PIN per code (`issuePins`) into the same output folder: what
    /// `yima issue --batch … [--pins]` promises, in one call. The PINs are stored in a
    /// second transaction once the codes are; should it fail, the codes stay issued
    /// and `issuePins` can be run again.
    public func issue(batch reference: BatchReference, request: IssueRequest, pinSecret: ServerSecret?,
                      progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ServiceError) -> BatchIssue {
        let units = try issueUnits(batch: reference, request: request, progress: progress)
        let pins = try pinSecret.map { secret throws(ServiceError) in
            try issuePins(batch: reference, secret: secret, outputDirectory: request.outputDirectory)
        }
        return BatchIssue(units: units, pins: pins)
    }
}
