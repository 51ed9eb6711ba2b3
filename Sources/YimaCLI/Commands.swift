import ArgumentParser

/// The commands of `yima`, in the order its help lists them. `serve` belongs to the
/// executable (it needs the server), so the caller passes it in to take its place.
public enum Commands {
    public static func all(serve: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
        [InitCommand.self, KeysCommand.self, PartyCommand.self, ProductCommand.self, BatchCommand.self,
         EventCommand.self, IssueCommand.self, LabelsCommand.self, ChainCommand.self, VerifyCommand.self, LogCommand.self, serve,
         TrustCommand.self, RecallCommand.self, CertificateCommand.self,
         ReportCommand.self, AuditCommand.self, BundleCommand.self, ExportCommand.self, ImportCommand.self,
         UploadCommand.self, MigrateCommand.self]
    }
}
