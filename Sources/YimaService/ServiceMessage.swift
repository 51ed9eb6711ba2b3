import YimaText

/// Every user-facing message of YimaService; the text is in Messages.json.
enum ServiceMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaService", bundle: .module)

    // Shared pieces
    case recordProblem, pathProblem, unknownBatch, unknownBatchHint, cannotCreate, cannotCreateReason, cannotWrite
    case writeFailed, writeFailedReason, keyNotRegistered, logShrank

    // ServiceError's wrapped errors
    case cryptoError, keyFileError, storeError, cryptoMalformedKey, cryptoUnsupportedKey, cryptoPassphraseRequired
    case cryptoWrongPassphrase, cryptoMalformedSignature, cryptoOpenSSL

    // Chain verification (ChainFailure, VerificationFailure), bundles, evidence from a server
    case recordMalformed, recordNotCovered, recordNotInLog, partyRecordNotByAuthority, recordSignerUnknown
    case codeNotByOwner, evidenceNeedsOneBatch, recordOtherBatch, recordBrokenLink, bundleNoProof, bundleNotJSON
    case bundleIssuanceMembers, bundleIssuanceNode, bundleIssuanceMissing, bundleIssuanceNoEvent, bundleIssuanceNotProven
    case bundleIssuanceUncommitted
    case bundleWrongFormat, bundleMissingMembers, bundleCheckpointMalformed, bundleRecordMembers, bundleProofNode
    case bundleAuthorityKey, logCheckpointMalformed, serverCheckpointMalformed, answerNotObject, answerRecordMembers

    // Log audits and the audit state
    case auditStateWrongFormat, auditStateInvalid, auditStateCannotSave, auditKeyNotPinned, auditNoLogKey
    case auditOriginChanged, auditInconsistent, auditRootMismatch, auditCheckpointKey, auditEntryRewritten
    case auditTileError, auditLeafMismatch

    // The transparency log: signing checkpoints, fetching, tiles and proofs
    case signOtherLog, signLogShrank, signInconsistent, cannotSignCheckpoint, notServerAddress, notURL, getFailed
    case getStatus, tileNotYet, logKeyCannotSign, leafOutside, oldSizeOutside, treeSizeBeyond

    // Recalls, reports, certificates, labels
    case untilBeforeFrom, recallNoBatches, untilBeforeFromDates, certificateNotFound, unknownLabelFormat
    case templateWrongKind, batchNoCodes, packingNeedsKey, templateContents, labelKindCarton, labelKindPallet
    case nothingPacked

    // Keys, the registry, trust folders and trust lists
    case notDataAuthority, validityNotPositive, keyNotRegisteredAsk, keyMayNotSign, authorityOnly, partyRecords
    case keyChangeRecords, cannotReadTrustFolder, noPubFiles, cannotReadTrustList, trustListNotAuthority
    case trustListExpired, registryItemNotAuthority, registryItemProblem, recallSignerUnknown, notRecallEvent
    case recallItemProblem, trustListInFuture, trustListRolledBack, trustStateMalformed, trustStateCannotRead
    case trustStateCannotSave

    // Issuing codes and PINs, output folders, the data folder
    case countRange, batchNotIssued, fileExists, cannotRename, createBatchFirst, onlyOwnerIssues, outputExists
    case cannotCreateOutputIn, cannotMoveOutput, logKeepsName, checkpointNotVerified, cannotSaveCheckpoint
    case storeExists, cannotCreateDataFolder, noStore, passphraseEmpty, secretSize
    case migrateTargetNotEmpty, migrateCountsDiffer, migrateRootsDiffer, migrateChainBroken, readDatabaseNeedsDatabase

    // IntegrityFailure
    case integrityLeafMismatch, integrityBadSignature, integrityBrokenLink

    // Recording and importing records
    case keyChangeInFuture, sourceNotCertificate, draftNotObject, csvMalformed, csvMissingColumn, importLine
    case unknownColumn, columnNotInteger, columnNotBool, columnNotJSON, columnUnknownType, productNotDefined
    case productExists, batchOwnerNotSigner, productNotDefinedAdd, batchExists, actorNotSigner, needsRole
    case batchNotInStore

    // The workbench's signed requests, registrations, uploaded issuances (docs/api.md §Producer workbench)
    case requestNotJSON, requestMissing, requestUnknownMember, requestKind, requestVersion, requestTimeShape
    case requestNonceShape, requestFieldType, requestStale, requestReplayed, requestBadSignature, notBatchOwner
    case tooManyLabels, labelFormatUnknown, labelSheetOnlyPDF, labelDPIRange, labelTemplateName
    case registrationKeyMismatch, registrationPublicKey, registrationRegistered, registrationPending
    case registrationQueueFull, registrationUnknown, registrationAmbiguous, registrationNotPending
    case registrationReasonEmpty, whatCreditCode, whatPartyID, whatKey
    case issuanceNotUnitIssuance, issuanceCountMismatch, issuanceKidMismatch, issuanceRootMismatch, issuanceCodeCount, issuanceOtherBatch
    case issuanceSerialTwice, issuanceConflict, issuanceUnitIssued, issuanceForgedCode, issuanceMalformedCode

    // One line per event (EventData.summary)
    case summarySeparator, summaryPesticide, summaryFertilizer, summaryCareSeparator, summaryInspection, summaryPass
    case summaryFail, summaryIssuance, summaryPackedUnits, summaryPackedCartons, summaryShipping, summaryReceiving
    case summaryRecall, summaryCertificate, summaryCertificateReceipt, summaryCorrection, careIrrigation, carePruning, careWeeding
    case carePestObservation, careOther, summaryExternalCode

    // The national format, upward reporting, external trace codes
    case aliasTaken, aliasUnitNotIssued, aliasUnknown, uploadPendingOtherFormat
    case uploadRejected, uploadGaveUp, uploadCancelled
}

// The public shapes that still carry one text per language (`ServiceError`'s
// `(String, zh: String)`, `VerificationFailure`, `ChainFailure`), filled from the
// catalog: with a message and its arguments, or, where an argument depends on the
// language (a nested message), with a closure over the language.

extension ServiceError {
    static func invalidArgument(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .invalidArgument { message.text(in: $0, arguments) }
    }

    static func invalidArgument(_ text: (Language) -> String) -> ServiceError {
        .invalidArgument(text(.english), zh: text(.chinese))
    }

    static func output(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .output(message.text(in: .english, arguments), zh: message.text(in: .chinese, arguments))
    }

    static func input(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .input { message.text(in: $0, arguments) }
    }

    static func input(_ text: (Language) -> String) -> ServiceError {
        .input(text(.english), zh: text(.chinese))
    }

    static func notFound(_ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .notFound(message.text(in: .english, arguments), zh: message.text(in: .chinese, arguments))
    }

    static func rejected(_ rejection: Rejection, _ message: ServiceMessage,
                         _ arguments: KeyValuePairs<String, Any> = [:]) -> ServiceError {
        .rejected(rejection) { message.text(in: $0, arguments) }
    }

    static func rejected(_ rejection: Rejection, _ text: (Language) -> String) -> ServiceError {
        .rejected(rejection, text(.english), zh: text(.chinese))
    }
}

extension VerificationFailure {
    init(_ check: String, _ message: ServiceMessage, _ arguments: KeyValuePairs<String, Any> = [:]) {
        self.init(check) { message.text(in: $0, arguments) }
    }

    init(_ check: String, _ text: (Language) -> String) {
        self.init(check, text(.english), zh: text(.chinese))
    }
}

extension ChainFailure {
    init(_ check: ChainCheck, _ entry: ChainVerification.Entry?, _ message: ServiceMessage,
         _ arguments: KeyValuePairs<String, Any> = [:]) {
        self.init(check, entry) { message.text(in: $0, arguments) }
    }

    init(_ check: ChainCheck, _ entry: ChainVerification.Entry?, _ text: (Language) -> String) {
        self.init(check, entry, text(.english), zh: text(.chinese))
    }
}
