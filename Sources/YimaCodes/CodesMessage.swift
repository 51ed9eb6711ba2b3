import Foundation
import YimaText

/// Every user-facing message of YimaCodes; the text is in Messages.json.
enum CodesMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaCodes", bundle: .module)

    // UnitCodeError
    case unitCodeEmpty, unitCodeNotAURL, unitCodeNotDigitalLink, unitCodeBadCheckDigit, unitCodeMissingElement
    case unitCodeUnexpectedElement, unitCodeInvalidValue, unitCodeMissingSignature, unitCodeUnsupportedVersion
    case unitCodeBadSignatureEncoding, unitCodeInvalidBaseURL, unitCodeInvalidGTIN, unitCodeUnexpectedURLPart
    // The GS1 elements a unit code carries, by name
    case elementGTIN, elementLot, elementSerial
    // CodeVerdict
    case verdictGenuine, verdictForged, verdictUnknownKey, verdictMalformed
}
