import Foundation
import YimaText

/// Every user-facing message of YimaLabels; the text is in Messages.json.
enum LabelsMessage: String, MessageKey {
    static let catalog = MessageCatalog(module: "YimaLabels", bundle: .module)

    case listSeparator, noneAvailable, cannotWrite, pngEncodingFailed, qrEncodingFailed, librsvgCannotDraw, svgInvalid
    case svgInvalidAtLine, qrBoxTooSmall, dpiOutOfRange, noFontForText, textTooLong, boxOneLine, boxLines
    case templateUnknown, templateLayoutInvalid, templateUnreadable, templateMustacheSyntax
    case templateMustacheInvalid, templateDoesNotFit, geometryLabelSize, geometryQROutside
    case geometryUnknownField, geometryFieldNotInKind, geometryBoxOutside, geometryBoxOverQR
    case geometryFontSizes, geometryMaxLines, sheetOnlyPDF, sheetLabelTooLarge, outputFormatUnsupported
}
