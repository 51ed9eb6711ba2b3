import Hummingbird
import YimaCodes
import YimaRecords
import YimaText

/// Every user-facing message of YimaServer; the text is in Messages.json.
enum ServerMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaServer", bundle: .module)

    // Errors of any route (APIError's common cases, the error middleware, request bodies)
    case malformedCode, notFound, methodNotAllowed, bodyTooLarge, targetTooLong, invalidJSON, internalError, unavailable
    case badRequest, bodyTimeout, malformedBody

    // Looking up a code or a Digital Link
    case malformedLink, notIssued, forged, keyNotValid, unknownBatch, unknownProduct

    // The consumer page of a unit, and the red page of an error
    case unitPageTitle, scanText, copyWarningText, errorPageTitle, errorPageHeading, errorTitleNotIssued, errorTitleForged
    case errorTitleMalformed, errorTitleUnknownBatch, errorTitleUnknownProduct, errorTitleTooLong, errorTitleOther

    // Walking up: the batch and product pages
    case batchPageTitle, batchAllBatches, batchQRCode, batchNoticeTitle, batchNoticeText, unverifiableTitle, unverifiableText
    case productPageTitle, productNoticeTitle, productNoticeText, productBatches, productBatchRecalled, productMoreBatches

    // PINs
    case pinMalformedCode, pinInvalidRequest, pinTooManyAttempts, pinFirstVerification, pinAlreadyVerified, pinWrong
    case pinNotIssued, pinNone

    // Short codes, the log, containers, certificates, reports
    case shortCodeInvalid, shortCodeUnknown, shortCodeTitle, shortCodeHint, shortCodeButton, badTile, malformedSSCC
    case unknownContainer, malformedCertificateID, noCertificate, invalidReportRequest, tooManyRequests
    case malformedTraceCode, unknownTraceCode, traceCodeTitle

    // Writing records
    case malformedEnvelope, malformedRecord, notAuthority, unknownKey, replay, staleHead

    // The producer workbench's endpoints
    case unsupportedMediaType, invalidCheckRequest, invalidIssuanceRequest, tooManyRegistrations, malformedRegistrationID
    case unknownRegistration

    // Linkset titles
    case linkUnitPage, linkCertificates, linkBatchPage, linkProductPage, unknownLinkType

    // What the batch sections show (Presentation)
    case listSeparator, integrityTitle, integrityText, categoryVegetable, categoryFruit, categoryTea, categoryGrain
    case categoryOilseed, categoryMushroom, categoryHerb, categoryLivestock, categoryAquatic, categoryOther
    case certificatePollutionFree, certificateGreen, certificateOrganic, certificateGeographicalIndication

    // The labels of the page templates (`{{t.site}}`): the key is `label` and the template's name
    case labelSite, labelGenuine, labelGenuineText, labelIssuedBy, labelKey, labelRecalled, labelRecallReason
    case labelRecallAction, labelCopyWarning, labelFirstScan, labelSigned, labelOtherLanguage, labelLot, labelSerial
    case labelProduct, labelName, labelVariety, labelCategory, labelCountyCode, labelProducer, labelCreditCode
    case labelAddress, labelContact, labelOrigin, labelPlace, labelDivision, labelGps, labelSeason, labelQuantity
    case labelInputs, labelPesticide, labelRegistration, labelDose, labelDate, labelInterval, labelDays
    case labelEarliestHarvest, labelFertilizer, labelType, labelAmount, labelTests, labelPass, labelFail, labelReport
    case labelItem, labelResult, labelLimit, labelCertificates, labelTimeline, labelCompliance, labelComplianceLabel
    case labelComplianceReceived, labelComplianceReceivedFrom

    /// The page labels in `language`, by the name the templates use (`labelSite` → `site`).
    static func labels(in language: Language) -> [String: String] {
        var labels: [String: String] = [:]
        for message in allCases where message.rawValue.hasPrefix("label") {
            let name = message.rawValue.dropFirst("label".count)
            labels[name.prefix(1).lowercased() + name.dropFirst()] = message.text(in: language)
        }
        return labels
    }
}

// `APIError` keeps its public shape (one text per language), filled from the catalog:
// with a message and its arguments, or, where an argument depends on the language (a
// nested message), with a closure over the language.

extension APIError {
    init(_ status: HTTPResponse.Status, _ id: String, _ message: ServerMessage, _ arguments: KeyValuePairs<String, Any> = [:],
         details: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
        self.init(status, id, details: details, headers: headers) { message.text(in: $0, arguments) }
    }

    init(_ status: HTTPResponse.Status, _ id: String, details: [String: JSONValue] = [:], headers: HTTPFields = [:],
         _ text: (Language) -> String) {
        self.init(status, id, zh: text(.chinese), en: text(.english), details: details, headers: headers)
    }
}
