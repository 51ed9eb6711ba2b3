import YimaService
import YimaText

/// Every user-facing message of the `yima` commands; the text is in Messages.json.
enum CLIMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaCLI", bundle: .module)

    // Shared pieces
    case cannotRead, cannotWrite, notJSON, unknownAlgorithm

    // init, keys
    case initCreated, initDemoKey, unknownKeyAlgorithm, keyCreated

    // party, product, batch, event (what was recorded)
    case recordedParty, recordedProduct, recordedBatch, recordedEvent, recordedKeyChange, recorded
    case requestsNone, requestsHeader, requestApproved, requestRejected
    case eventNeedsKey, importSkipped, imported

    // issue, labels
    case issueErrorCorrection, issueModuleSize, issueNeedsBatch, issueProgress, issuePinsNeedBatch, issuedPins, issued
    case labelsProgress, labelsUnitsOrCartons, labelsPackingNeedsKey, labelsMade, labelsPackingRecorded

    // chain, verify, bundle, audit
    case chainGenuine, chainForged, chainNotIssued, chainVariety, chainProduct, chainBatch, chainOwner, chainEvents
    case chainPackedInto, chainVerified, chainVerifiedOffline, bundleEvidenceAsOf, verifyNoCodes, verifyTotal, bundleNeedsSource
    case auditFrom, auditFirst, audited, notVerifierKey, noLogKey

    // migrate
    case migrateProgress, migrated

    // recall, report: totals, and the Chinese column names of their tables (the English
    // tables show the CSV columns, RecallTraceRow.csvHeader and RegulatorReport.Row.csvHeader)
    case recallTraceTotal, reportGrouping, traceSerial, traceCarton, tracePallet, traceLastStep, traceTime, traceHolder
    case traceRecalled, yes, no, reportKey, reportName, reportCodesIssued, reportScans, reportCopyWarnings
    case reportPINVerifications, reportRecalls, reportCertificates, reportCertificateReceipts, issueUnitQuantity
    case bundleIssuanceProven, bundleIssuanceNotCommitted, bundleIssuanceNotProven, auditUnitsHolds, auditUnitsMismatch, auditUnitsNotCommitted
    case auditUnitsAmbiguous, auditUnitsStray, auditUnitsSummary, auditNeedsServerOrData, auditUnitsFailed
    case reportBalanceTitle, reportBalanceBatch, reportBalanceMeasure, reportBalanceSupply, reportBalanceCertified
    case reportBalanceLabelled, reportBalanceLimit, reportBalanceHolds, reportBalanceYes, reportBalanceNo, reportBalanceDeclared

    // upload
    case uploadNoReceivers, uploadNeedsReceiver, uploadFormatUnknown, uploaded, uploadStatusLine, uploadInFlight
    case uploadLastError
}

// `ServiceError` carries one text per language; the commands fill it from this catalog.
extension ServiceError {
    static func input(_ message: CLIMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .input(message.text(in: .english, arguments), zh: message.text(in: .chinese, arguments))
    }

    static func output(_ message: CLIMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .output(message.text(in: .english, arguments), zh: message.text(in: .chinese, arguments))
    }

    static func invalidArgument(_ message: CLIMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .invalidArgument(message.text(in: .english, arguments), zh: message.text(in: .chinese, arguments))
    }
}
