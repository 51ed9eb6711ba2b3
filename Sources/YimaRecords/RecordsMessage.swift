import Foundation
import YimaText

/// Every user-facing message of YimaRecords; the text is in Messages.json.
enum RecordsMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaRecords", bundle: .module)

    // Shared pieces
    case listSeparator

    // RecordError
    case recordWhole, recordNotCanonical, recordMissingField, recordUnknownField, recordWrongType
    case recordInvalidField

    // EnvelopeError
    case envelopeMalformed, envelopeUnknownField, envelopeMissingField, envelopeUnsupportedVersion
    case envelopeUnknownAlgorithm, envelopeMalformedKeyID, envelopeMalformedBase64, envelopeMalformedSignature
    case envelopeNonCanonicalPayload, envelopeWrongKey, envelopeAlgorithmMismatch, envelopeBadSignature
    case envelopeSigningFailed

    // KeyStatus
    case keyValid, keyUnknown, keyNotYetValid, keyExpired, keyRetired, keyRevokedSince
    case keyRevokedAtUnknownTime

    // KeyRegistry.Problem
    case registryPartyRegistered, registryKeyRegistered, registryUnknownParty, registryNotPartysKey
    case registryKeyRevoked, registryKeyRetired, registryNewKeyRegistered

    // RecallNotice
    case recallNotice

    // Rule violations
    case ruleChainLink, ruleBatchMismatch, ruleActorMismatch, ruleRole, ruleRoleOrBatchOwner
    case ruleRoleOrOriginalSigner, ruleTimeOrder, ruleFutureTime, ruleBannedPesticide, ruleBannedOnAllCrops
    case ruleBannedOnCategory, ruleBannedSince, ruleSafetyInterval, ruleCertificateSafetyInterval
    case ruleCertificateBannedInput, ruleFailedInspection, rulePackedCarton, ruleUnitNotIssued, rulePackedUnit
    case ruleCertificateSplit, ruleTestCoverage, ruleTestCoverageNoInspection, ruleCertificateReceipt
    case ruleMassBalanceCertificates, ruleMassBalanceUnits, ruleMassBalanceSplit, massBalanceHarvested, massBalanceDeclared

    // Why a value does not have its documented shape (ValidatedString and kin)
    case creditCodeLength, creditCodeCharacter, creditCodeAuthority, creditCodeDivision
    case creditCodeCheckCharacter, identityNumberShape, identityNumberBirthDate, identityNumberCheckCharacter
    case personalIDSalt, personalIDDigest, partyIDShape, divisionCodeShape, divisionCodeProvince, decimalShape
    case gtinShape, gtinCheckDigit, countyCodeShape, countyItemRange, ssccShape, ssccCheckDigit, lotShape
    case pesticideRegistrationShape, keyIDShape, sha256Shape, recordIDShape, traceAliasShape

    // Why a field breaks its rule (RecordError.Problem.invalid)
    case textEmpty, textTooLong, textControlCharacters, textOuterWhitespace, notNegative, positive
    case omitWhenEmpty, listsItemTwice, dateNoSuchDay, dateShape, dateNotInCalendar, timeShape, latitudeRange
    case longitudeRange, unitOfMeasureUnknown, recordVersionUnsupported, recordKindUnknown, partyKeyNotSPKI
    case partyKeyAlgorithm, partyKeyID, partyNoRole, partyRoleRepeated, partyKeyRepeated, partyValidUntil
    case partyRoleUnknown, partyTwoIdentifiers, productValidUntil, productCertificateTypeUnknown
    case productCategoryUnknown, keyChangeSameKey, keyChangeCompromisedAfterRevocation, keyChangeAction
    case eventTypeUnknown, eventAreaUnit, eventSafetyIntervalRange, eventInspectionNoItems
    case eventInspectionVerdict, eventInputKind, eventCareActivityUnknown, eventPackingContents
    case eventCertificateBasis, bannedListUnknownSource, trustListVersion, trustListKind, trustListExpires
    case trustListNotEnvelope

    // EPCIS documents (EPCISJSON, EPCISImport)
    case epcisTooLarge, epcisSyntax, epcisSchema, epcisUnmappable, epcisUnknownBatch, epcisDuplicate
    case epcisHashMismatch, epcisNotDerived, epcisUnknownEvent, epcisEventIDShape

    // Names: party roles, event types, units of measure, certificate bases
    case roleProducer, roleCooperative, roleProcessor, roleCarrier, roleMarket, roleRetailer, roleLaboratory
    case roleRegulator, eventTypePlanting, eventTypeInputApplication, eventTypeCare, eventTypeHarvest
    case eventTypeInspection, eventTypeUnitIssuance, eventTypePacking, eventTypeStoring, eventTypeShipping
    case eventTypeReceiving, eventTypeRetailSelling, eventTypeRecall, eventTypeCorrection
    case eventTypeCertificate, eventTypeExternalCode, eventTypeCertificateReceipt, unitKilogram, unitGram, unitTonne, unitLitre, unitMillilitre, unitPiece
    case unitSquareMetre, unitHectare, basisSelfTest, basisCommissionedTest, basisInternalControl
}
